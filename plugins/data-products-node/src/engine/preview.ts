import { randomBytes } from 'node:crypto';
import { Knex } from 'knex';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { readColumns, relationKind } from './catalog';
import { isPgError } from './errors';
import { formatDuration } from './limits';
import { Metadata, PortRow, ProductRow } from './metadata';
import { RoleNames } from './spec';
import { escapeIdentifier, qualifiedName } from './sql';

/** How many rows a preview shows: the first ones PostgreSQL returns. */
export const PREVIEW_ROWS = 20;

/** The longest value a preview sends, in characters; a longer one is cut. */
export const PREVIEW_VALUE_CHARS = 200;

/**
 * Tables with at most this many rows by PostgreSQL's estimate
 * (`pg_class.reltuples`) are counted exactly; larger ones report the
 * estimate. Views are always counted.
 */
export const EXACT_COUNT_LIMIT = 100_000;

/** One column of a preview. */
export interface PreviewColumn {
  name: string;
  /** The type as `format_type()` spells it. */
  type: string;
  /** True when the column was not read: its values are all null. */
  masked: boolean;
}

/** The first rows of a port, read as a role that can read only that port. */
export interface PortPreviewRows {
  /** `schema.port`. */
  object: string;
  columns: PreviewColumn[];
  /**
   * Each row's values in column order, as PostgreSQL writes them as text;
   * null for SQL NULL and for every masked column.
   */
  rows: Array<Array<string | null>>;
  /** The most rows a preview shows. */
  limit: number;
  /** How many values were cut at {@link PREVIEW_VALUE_CHARS} characters (a `…` ends them). */
  cut: number;
}

/** How many rows a port holds and the space it takes. */
export interface PortSize {
  object: string;
  type: 'postgres-table' | 'postgres-view';
  /** Rows: counted, or PostgreSQL's estimate; absent when a view was too slow to count. */
  rows?: number;
  /** True when `rows` was counted, false for the estimate of a large table. */
  rowsExact: boolean;
  /** `pg_total_relation_size` of a table (with its indexes and TOAST); absent for a view. */
  bytes?: number;
}

/** What a read of a port needs: its records and bounds. */
export interface PortRead {
  roles: RoleNames;
  product: string;
  port: string;
  /** `statement_timeout` and `lock_timeout` of the read, in milliseconds. */
  timeoutMs: number;
}

export interface ReadablePortRows {
  product: ProductRow;
  port: PortRow;
  object: string;
}

export async function provisioned(
  knex: Knex,
  read: PortRead,
): Promise<ReadablePortRows> {
  const meta = new Metadata(knex);
  const [product, port] = await Promise.all([
    meta.product(read.product),
    meta.port(read.product, read.port),
  ]);
  if (
    !product ||
    !port ||
    !(await relationKind(knex, product.schema_name, read.port))
  ) {
    throw new NotFoundError(
      `Output port '${read.port}' of data product '${read.product}' is not provisioned; provision the product first`,
    );
  }
  return {
    product,
    port,
    object: `${product.schema_name}.${port.port}`,
  };
}

/**
 * Runs `fn` as a role that holds exactly the port's reader role, in a
 * transaction on the pool that is rolled back whatever happens: a NOLOGIN
 * role made for this read alone is granted the reader role, the session
 * sets it (`SET LOCAL ROLE`), and the transaction turns read only before
 * `fn` runs. So the read sees only what a consumer granted the port sees,
 * changes nothing, and leaves neither the role nor any session state behind.
 * Bounded by `statement_timeout` and `lock_timeout`.
 */
export async function asPortReader<T>(
  knex: Knex,
  read: PortRead,
  rows: ReadablePortRows,
  fn: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  const role = read.roles.check(`read_${randomBytes(6).toString('hex')}`);
  const trx = await knex.transaction();
  try {
    await trx.raw(
      "SELECT set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true)",
      [String(read.timeoutMs), String(read.timeoutMs)],
    );
    await trx.raw(`CREATE ROLE ${escapeIdentifier(role)} NOLOGIN`);
    await trx.raw(
      `GRANT ${escapeIdentifier(role)} TO ${escapeIdentifier(
        read.roles.engine,
      )}`,
    );
    await trx.raw(
      `GRANT ${escapeIdentifier(rows.port.reader_role)} TO ${escapeIdentifier(
        role,
      )}`,
    );
    await trx.raw(`SET LOCAL ROLE ${escapeIdentifier(role)}`);
    await trx.raw('SET TRANSACTION READ ONLY');
    return await fn(trx);
  } catch (error) {
    if (isPgError(error) && error.code === '57014') {
      throw new ServiceUnavailableError(
        `Reading output port '${read.port}' of data product '${
          read.product
        }' took longer than ${formatDuration(
          read.timeoutMs,
        )} (dataProducts.warehouse.statusTimeout); nothing was changed. Try again later.`,
      );
    }
    if (isPgError(error) && error.code === '55P03') {
      throw new ServiceUnavailableError(
        `Output port '${read.port}' of data product '${
          read.product
        }' is being rebuilt (its lock was not free within ${formatDuration(
          read.timeoutMs,
        )}); try again in a moment.`,
      );
    }
    throw error;
  } finally {
    await trx.rollback().catch(() => undefined);
  }
}

/**
 * The first {@link PREVIEW_ROWS} rows of a port, read as a role that holds
 * only the port's reader role (see {@link asPortReader}). Only the columns
 * named in `reveal` are read; every other column is sent as masked, with
 * null values, so a value it holds never leaves PostgreSQL. Values are
 * PostgreSQL's text, cut at {@link PREVIEW_VALUE_CHARS} characters.
 */
export async function previewPort(
  knex: Knex,
  read: PortRead & { reveal: readonly string[] },
): Promise<PortPreviewRows> {
  const rows = await provisioned(knex, read);
  const reveal = new Set(read.reveal);
  const actual = await readColumns(
    knex,
    rows.product.schema_name,
    rows.port.port,
  );
  const columns = actual.map(column => ({
    name: column.name,
    type: column.type,
    masked: !reveal.has(column.name),
  }));
  const select = columns.map((column, i) =>
    column.masked
      ? `NULL::text AS c${i}`
      : `left(${escapeIdentifier(column.name)}::text, ${
          PREVIEW_VALUE_CHARS + 1
        }) AS c${i}`,
  );
  const result = await asPortReader(knex, read, rows, trx =>
    trx.raw(
      `SELECT ${
        select.length ? select.join(', ') : 'NULL'
      } FROM ${qualifiedName(
        rows.product.schema_name,
        rows.port.port,
      )} LIMIT ${PREVIEW_ROWS}`,
    ),
  );
  let cut = 0;
  const values = (result.rows as Array<Record<string, string | null>>).map(
    row =>
      columns.map((_, i) => {
        const value = row[`c${i}`];
        if (typeof value === 'string' && value.length > PREVIEW_VALUE_CHARS) {
          cut++;
          return `${value.slice(0, PREVIEW_VALUE_CHARS)}…`;
        }
        return value ?? null;
      }),
  );
  return {
    object: rows.object,
    columns,
    rows: values,
    limit: PREVIEW_ROWS,
    cut,
  };
}

/**
 * How many rows a port holds and the space it takes: PostgreSQL's estimate
 * for a table above {@link EXACT_COUNT_LIMIT} rows, an exact count as the
 * port's reader (see {@link asPortReader}) for smaller tables, tables never
 * analysed and views. A view too slow to count has no row count.
 */
export async function portSize(knex: Knex, read: PortRead): Promise<PortSize> {
  const rows = await provisioned(knex, read);
  const relation = qualifiedName(rows.product.schema_name, rows.port.port);
  const stats = await knex.raw(
    `SELECT c.relkind::text AS kind, c.reltuples::float8 AS estimate,
            pg_catalog.pg_total_relation_size(c.oid)::float8 AS bytes
       FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(?)`,
    [relation],
  );
  const { kind, estimate, bytes } = stats.rows[0] as {
    kind: string;
    estimate: number;
    bytes: number;
  };
  const table = kind === 'r' || kind === 'p';
  const size: PortSize = {
    object: rows.object,
    type: rows.port.port_type,
    rowsExact: true,
    ...(table ? { bytes } : {}),
  };
  if (table && estimate > EXACT_COUNT_LIMIT) {
    return { ...size, rows: Math.round(estimate), rowsExact: false };
  }
  try {
    const counted = await asPortReader(knex, read, rows, trx =>
      trx.raw(`SELECT count(*)::float8 AS n FROM ${relation}`),
    );
    return { ...size, rows: Number(counted.rows[0].n) };
  } catch (error) {
    if (!(error instanceof ServiceUnavailableError)) {
      throw error;
    }
    // Too slow to count: a table's estimate, or nothing for a view.
    return table && estimate >= 0
      ? { ...size, rows: Math.round(estimate), rowsExact: false }
      : { ...size, rowsExact: false };
  }
}
