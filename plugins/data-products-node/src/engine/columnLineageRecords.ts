import { Knex } from 'knex';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { ColumnLineageTransformation } from '@dataproducts/plugin-data-products-common';
import { CheckedModel, columnLineage, ColumnLineageInputField } from '../model';
import { Metadata, METADATA_SCHEMA } from './metadata';
import { PortSpec } from './spec';

/** How many builds of each port `column_lineage_builds` keeps. */
export const COLUMN_LINEAGE_BUILDS_KEPT = 20;

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters. */
const INSERT_CHUNK = 500;

/** An input column an output column of a port derives from, as stored. */
export interface StoredInputField {
  /** The input port (product, port, OutputPort entity ref); absent for a source table. */
  input?: { product: string; port: string; ref: string };
  /** The relation read, `schema.name`: the input port's, or the source table. */
  relation: string;
  field: string;
  transformations: ColumnLineageTransformation[];
}

/** The column lineage of one build of a port: what the build published. */
export interface PortColumnLineageRecord {
  product: string;
  port: string;
  /** The OutputPort's entity ref. */
  portRef: string;
  /** Every output column, in order, with the input columns it derives from. */
  columns: Array<{ name: string; inputFields: StoredInputField[] }>;
  /** Input columns that shape every row (OpenLineage's dataset-level dependencies). */
  dataset: StoredInputField[];
}

/**
 * A source-aligned port's lineage: each declared column is its source
 * table's column of the same name, copied (IDENTITY).
 */
export function sourcePortLineage(
  product: string,
  port: PortSpec,
  source: { schema: string; table: string },
): PortColumnLineageRecord {
  return {
    product,
    port: port.name,
    portRef: port.ref,
    columns: port.columns.map(column => ({
      name: column.name,
      inputFields: [
        {
          relation: `${source.schema}.${source.table}`,
          field: column.name,
          transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
        },
      ],
    })),
    dataset: [],
  };
}

/**
 * A model port's lineage, from the checked model's parse tree: each
 * relation the model reads is mapped back to the declared input it
 * resolved, and an input's columns (for `*` and unqualified names) are the
 * contract columns its last build recorded.
 */
export async function modelPortLineage(
  meta: Metadata,
  product: string,
  port: PortSpec,
  model: CheckedModel,
): Promise<PortColumnLineageRecord> {
  const { namespace } = parseEntityRef(port.ref);
  const inputs = new Map<string, StoredInputField['input'] & object>();
  const columns = new Map<string, string[]>();
  for (const { input, relation } of model.references) {
    const key = `${relation.schema}.${relation.name}`;
    if (inputs.has(key)) continue;
    inputs.set(key, {
      product: input.product,
      port: input.port,
      ref: normalizedPortRef(input.ref, namespace),
    });
    const row = await meta.port(input.product, input.port);
    columns.set(
      key,
      (row?.columns ?? []).map(c => c.name),
    );
  }
  const lineage = columnLineage(
    model.tree,
    relation => columns.get(`${relation.schema}.${relation.name}`) ?? [],
  );
  const stored = (field: ColumnLineageInputField): StoredInputField => {
    const relation = `${field.relation.schema}.${field.relation.name}`;
    const input = inputs.get(relation);
    return {
      ...(input ? { input } : {}),
      relation,
      field: field.field,
      transformations: field.transformations,
    };
  };
  return {
    product,
    port: port.name,
    portRef: port.ref,
    columns: lineage.columns.map(column => ({
      name: column.name,
      inputFields: column.inputFields.map(stored),
    })),
    dataset: lineage.dataset.map(stored),
  };
}

function normalizedPortRef(ref: string, namespace: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'OutputPort',
        defaultNamespace: namespace,
      }),
    );
  } catch {
    throw new InputError(
      `Invalid input ref '${ref}': expected outputport:namespace/name, e.g. outputport:default/sales-crm-customers-customers`,
    );
  }
}

/** Whether a build of the port recorded its column lineage. */
export async function hasColumnLineage(
  db: Knex | Knex.Transaction,
  product: string,
  port: string,
): Promise<boolean> {
  const row = await db(`${METADATA_SCHEMA}.column_lineage_builds`)
    .where({ product, port })
    .first('id');
  return Boolean(row);
}

/**
 * Records the lineage of a build that succeeded, in the build's
 * transaction: a failed build records nothing. The port's rows in
 * `column_lineage` are replaced by this build's; the build is added to
 * `column_lineage_builds`, which keeps the port's last
 * {@link COLUMN_LINEAGE_BUILDS_KEPT}.
 */
export async function recordColumnLineage(
  trx: Knex.Transaction,
  lineage: PortColumnLineageRecord,
): Promise<void> {
  const { product, port, portRef } = lineage;
  const [{ id }] = await trx(`${METADATA_SCHEMA}.column_lineage_builds`)
    .insert({
      product,
      port,
      port_ref: portRef,
      lineage: JSON.stringify({
        columns: lineage.columns,
        dataset: lineage.dataset,
      }),
    })
    .returning('id');
  await trx(`${METADATA_SCHEMA}.column_lineage`)
    .where({ product, port })
    .delete();
  const rows = lineage.columns.flatMap(column =>
    column.inputFields.map(field => ({
      product,
      port,
      port_ref: portRef,
      column_name: column.name,
      input_product: field.input?.product ?? null,
      input_port: field.input?.port ?? null,
      input_ref: field.input?.ref ?? null,
      input_relation: field.relation,
      input_field: field.field,
      transformations: JSON.stringify(field.transformations),
      build_id: id,
    })),
  );
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await trx(`${METADATA_SCHEMA}.column_lineage`).insert(
      rows.slice(i, i + INSERT_CHUNK),
    );
  }
  const builds = `${METADATA_SCHEMA}.column_lineage_builds`;
  await trx(builds)
    .where({ product, port })
    .whereNotIn(
      'id',
      trx(builds)
        .select('id')
        .where({ product, port })
        .orderBy('id', 'desc')
        .limit(COLUMN_LINEAGE_BUILDS_KEPT),
    )
    .delete();
}
