import { Knex } from 'knex';
import {
  ColumnLineageTransformation,
  composeColumnTransformations,
} from '@dataproducts/plugin-data-products-common';
import { InputError, NotFoundError } from '@backstage/errors';
import { METADATA_SCHEMA } from './metadata';

/** The deepest walk a column lineage request may ask for, in hops between ports. */
export const MAX_COLUMN_LINEAGE_DEPTH = 25;

/** The most links a walk returns; a larger one is cut and marked `truncated`. */
export const MAX_COLUMN_LINEAGE_LINKS = 20_000;

/** One hop of column lineage: an output column of a port and an input column it derives from. */
export interface ColumnLineageHop {
  product: string;
  port: string;
  /** The port's OutputPort entity ref. */
  portRef: string;
  /** The port's relation, `schema.port`. */
  portRelation: string;
  column: string;
  /** The input port; absent when the input is a source table. */
  input?: { product: string; port: string; ref: string };
  /** The input relation, `schema.name`. */
  relation: string;
  field: string;
  transformations: ColumnLineageTransformation[];
}

/** What to walk from a port: which of its columns and how far each way. */
export interface ColumnLineageQuery {
  product: string;
  port: string;
  /** Only these columns; all of the port's otherwise. */
  columns?: string[];
  /** Hops upstream (to inputs, back to source tables). */
  upstream: number;
  /** Hops downstream (to consumers). */
  downstream: number;
}

/** The column lineage around a port, from the lineage its latest builds recorded. */
export interface ColumnLineageWalk {
  product: string;
  port: string;
  portRef?: string;
  /** The port's relation, `schema.port`. */
  relation: string;
  /** When the port's latest recorded build ran; absent when none recorded lineage. */
  builtAt?: string;
  /** The port's columns, in order, as its latest build published them. */
  columns: string[];
  /** Every hop reached, upstream and downstream, each once. */
  hops: ColumnLineageHop[];
  truncated: boolean;
}

/** A consumer column derived from a column, transitively. */
export interface ColumnConsumer {
  product: string;
  port: string;
  portRef: string;
  column: string;
  /** 1 for a column that reads it directly. */
  hops: number;
  transformations: ColumnLineageTransformation[];
}

interface HopRow {
  product: string;
  port: string;
  port_ref: string;
  schema_name: string;
  column_name: string;
  input_product: string | null;
  input_port: string | null;
  input_ref: string | null;
  input_relation: string;
  input_field: string;
  transformations: ColumnLineageTransformation[];
}

const HOP_COLUMNS = `l.product, l.port, l.port_ref, pr.schema_name, l.column_name,
  l.input_product, l.input_port, l.input_ref, l.input_relation, l.input_field,
  l.transformations`;

/** The products table, for the schema of each hop's port. */
const HOP_PRODUCTS = `JOIN ${METADATA_SCHEMA}.products pr ON pr.product = l.product`;

function toHop(row: HopRow): ColumnLineageHop {
  return {
    product: row.product,
    port: row.port,
    portRef: row.port_ref,
    portRelation: `${row.schema_name}.${row.port}`,
    column: row.column_name,
    ...(row.input_product && row.input_port && row.input_ref
      ? {
          input: {
            product: row.input_product,
            port: row.input_port,
            ref: row.input_ref,
          },
        }
      : {}),
    relation: row.input_relation,
    field: row.input_field,
    transformations: row.transformations,
  };
}

/** A column of a port: `product`, `port`, `column`. */
type PortColumn = [string, string, string];

const key = (c: PortColumn) => c.join('\u0000');

function unnestArgs(frontier: PortColumn[]): string[][] {
  return [0, 1, 2].map(i => frontier.map(c => c[i]));
}

function checkDepth(value: number, name: string): void {
  if (
    !Number.isInteger(value) ||
    value < 0 ||
    value > MAX_COLUMN_LINEAGE_DEPTH
  ) {
    throw new InputError(
      `Invalid ${name} depth '${value}': give a whole number from 0 to ${MAX_COLUMN_LINEAGE_DEPTH}`,
    );
  }
}

/**
 * Walks the stored column lineage from a port's columns: upstream along
 * each column's input columns (through input ports' own lineage, back to
 * source-table columns), downstream to every consumer column derived from
 * them. One indexed query per hop and direction; each column is visited
 * once. Throws a `NotFoundError` for a port the portal never built and an
 * `InputError` for a column the port does not have.
 */
export async function walkColumnLineage(
  knex: Knex,
  query: ColumnLineageQuery,
): Promise<ColumnLineageWalk> {
  checkDepth(query.upstream, 'upstream');
  checkDepth(query.downstream, 'downstream');
  const { product, port } = query;
  const portRow = await knex(`${METADATA_SCHEMA}.ports AS po`)
    .join(`${METADATA_SCHEMA}.products AS pr`, 'pr.product', 'po.product')
    .where({ 'po.product': product, 'po.port': port })
    .first('po.columns', 'pr.schema_name');
  if (!portRow) {
    throw new NotFoundError(
      `Output port '${port}' of data product '${product}' is not provisioned in the warehouse: provision the product first`,
    );
  }
  const build = await knex(`${METADATA_SCHEMA}.column_lineage_builds`)
    .where({ product, port })
    .orderBy('id', 'desc')
    .first('port_ref', 'built_at', 'lineage');
  const columns: string[] = build
    ? build.lineage.columns.map((c: { name: string }) => c.name)
    : portRow.columns.map((c: { name: string }) => c.name);
  for (const column of query.columns ?? []) {
    if (!columns.includes(column)) {
      throw new InputError(
        `Output port '${port}' of data product '${product}' has no column '${column}'; its columns are ${columns.join(
          ', ',
        )}`,
      );
    }
  }
  const start: PortColumn[] = (query.columns ?? columns).map(c => [
    product,
    port,
    c,
  ]);

  const hops = new Map<string, ColumnLineageHop>();
  let truncated = false;
  let full = false;
  const add = (hop: ColumnLineageHop) => {
    if (hops.size >= MAX_COLUMN_LINEAGE_LINKS) {
      truncated = full = true;
      return false;
    }
    hops.set(
      [hop.product, hop.port, hop.column, hop.relation, hop.field].join(
        '\u0000',
      ),
      hop,
    );
    return true;
  };

  // Upstream: the hops of the frontier's columns, then of their input ports' columns.
  let frontier = start;
  const seenUp = new Set(frontier.map(key));
  for (let depth = 0; depth < query.upstream && frontier.length; depth++) {
    const { rows } = await knex.raw<{ rows: HopRow[] }>(
      `SELECT ${HOP_COLUMNS}
         FROM ${METADATA_SCHEMA}.column_lineage l
         JOIN unnest(?::text[], ?::text[], ?::text[]) AS f(product, port, column_name)
           ON l.product = f.product AND l.port = f.port AND l.column_name = f.column_name
         ${HOP_PRODUCTS}`,
      unnestArgs(frontier),
    );
    const next: PortColumn[] = [];
    for (const row of rows) {
      if (!add(toHop(row))) break;
      if (row.input_product && row.input_port) {
        const input: PortColumn = [
          row.input_product,
          row.input_port,
          row.input_field,
        ];
        if (!seenUp.has(key(input))) {
          seenUp.add(key(input));
          next.push(input);
        }
      }
    }
    if (depth === query.upstream - 1 && next.length) truncated = true;
    frontier = full ? [] : next;
  }

  // Downstream: the hops that read the frontier's columns, then those that read theirs.
  frontier = start;
  const seenDown = new Set(frontier.map(key));
  for (let depth = 0; depth < query.downstream && frontier.length; depth++) {
    const { rows } = await knex.raw<{ rows: HopRow[] }>(
      `SELECT ${HOP_COLUMNS}
         FROM ${METADATA_SCHEMA}.column_lineage l
         JOIN unnest(?::text[], ?::text[], ?::text[]) AS f(product, port, column_name)
           ON l.input_product = f.product AND l.input_port = f.port AND l.input_field = f.column_name
         ${HOP_PRODUCTS}`,
      unnestArgs(frontier),
    );
    const next: PortColumn[] = [];
    for (const row of rows) {
      if (!add(toHop(row))) break;
      const output: PortColumn = [row.product, row.port, row.column_name];
      if (!seenDown.has(key(output))) {
        seenDown.add(key(output));
        next.push(output);
      }
    }
    if (depth === query.downstream - 1 && next.length) truncated = true;
    frontier = full ? [] : next;
  }

  return {
    product,
    port,
    relation: `${portRow.schema_name}.${port}`,
    ...(build
      ? {
          portRef: build.port_ref,
          builtAt: new Date(build.built_at).toISOString(),
        }
      : {}),
    columns,
    hops: [...hops.values()],
    truncated,
  };
}

/**
 * The consumer columns derived from one column of a port, transitively (at
 * most {@link MAX_COLUMN_LINEAGE_DEPTH} hops), nearest first, each with how
 * it derives from the column all the way (an INDIRECT hop on the way makes
 * it INDIRECT). What a change of the column would reach.
 */
export async function columnImpact(
  knex: Knex,
  product: string,
  port: string,
  column: string,
  depth = MAX_COLUMN_LINEAGE_DEPTH,
): Promise<{ consumers: ColumnConsumer[]; truncated: boolean }> {
  const walk = await walkColumnLineage(knex, {
    product,
    port,
    columns: [column],
    upstream: 0,
    downstream: depth,
  });
  return { consumers: downstreamOf(walk, column), truncated: walk.truncated };
}

/** The consumers reached from one column in a walk, breadth first, with composed transformations. */
export function downstreamOf(
  walk: Pick<ColumnLineageWalk, 'product' | 'port' | 'hops'>,
  column: string,
): ColumnConsumer[] {
  const readers = new Map<string, ColumnLineageHop[]>();
  for (const hop of walk.hops) {
    if (!hop.input) continue;
    const from = key([hop.input.product, hop.input.port, hop.field]);
    const list = readers.get(from);
    if (list) list.push(hop);
    else readers.set(from, [hop]);
  }
  const reached = new Map<string, ColumnConsumer>();
  let frontier: Array<{
    at: PortColumn;
    transformations?: ColumnLineageTransformation[];
  }> = [{ at: [walk.product, walk.port, column] }];
  for (let hops = 1; frontier.length; hops++) {
    const next: typeof frontier = [];
    for (const { at, transformations } of frontier) {
      for (const hop of readers.get(key(at)) ?? []) {
        const to: PortColumn = [hop.product, hop.port, hop.column];
        const composed = transformations
          ? composeColumnTransformations(transformations, hop.transformations)
          : hop.transformations;
        const existing = reached.get(key(to));
        if (existing) {
          if (existing.hops === hops) {
            existing.transformations = mergeTransformations(
              existing.transformations,
              composed,
            );
          }
          continue;
        }
        reached.set(key(to), {
          product: hop.product,
          port: hop.port,
          portRef: hop.portRef,
          column: hop.column,
          hops,
          transformations: composed,
        });
        next.push({ at: to, transformations: composed });
      }
    }
    frontier = next;
  }
  return [...reached.values()];
}

function mergeTransformations(
  a: ColumnLineageTransformation[],
  b: ColumnLineageTransformation[],
): ColumnLineageTransformation[] {
  const all = new Map(
    [...a, ...b].map(t => [`${t.type}.${t.subtype}`, t] as const),
  );
  return [...all.values()];
}
