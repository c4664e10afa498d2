import { Knex } from 'knex';
import type { OutputPortType } from '@dataproducts/plugin-data-products-common';
import { METADATA_SCHEMA, PortRow } from './metadata';

/** When a port was last built, from the portal's bookkeeping. */
export interface PortBuild {
  /** The data product's entity name. */
  product: string;
  /** The port name (`spec.name`). */
  port: string;
  type: OutputPortType;
  /** ISO timestamp of the last successful build (tables) or definition (views). */
  lastBuiltAt?: string;
  /** Rows as of the last build; absent for views, which are live. */
  rowCount?: number;
}

/** The last build of every port the portal built, or of the named products' ports. */
export async function readPortBuilds(
  knex: Knex,
  products?: string[],
): Promise<PortBuild[]> {
  const query = knex<PortRow>(`${METADATA_SCHEMA}.ports`)
    .select('product', 'port', 'port_type', 'row_count', 'last_built_at')
    .orderBy(['product', 'port']);
  if (products) {
    query.whereIn('product', products);
  }
  const rows = await query;
  return rows.map(row => ({
    product: row.product,
    port: row.port,
    type: row.port_type,
    ...(row.last_built_at
      ? { lastBuiltAt: new Date(row.last_built_at).toISOString() }
      : {}),
    ...(row.port_type === 'postgres-table' && row.row_count !== null
      ? { rowCount: Number(row.row_count) }
      : {}),
  }));
}
