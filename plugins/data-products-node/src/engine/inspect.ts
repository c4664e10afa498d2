import { Knex } from 'knex';
import type {
  DataProductEntityV1alpha1,
  DataProductStatus,
  OutputPortEntityV1alpha1,
  OutputPortStatus,
} from '@dataproducts/plugin-data-products-common';
import { readColumns, relationKind, schemaExists } from './catalog';
import { columnDrift } from './contract';
import { isPgError } from './errors';
import { ContractRecords, Metadata, PortRow, ProductRow } from './metadata';
import { escapeIdentifier, qualifiedName } from './sql';

type Db = Knex | Knex.Transaction;

/**
 * Rows in a port: tables as of their last build, views counted live as the
 * product's role (the role the view reads its inputs with). Outside a
 * transaction, a view is counted in a read-only transaction that is rolled
 * back, within `timeoutMs`: whatever its query does to the session (a
 * `set_config` in a source's view) is undone, and a slow view cannot hold a
 * pooled connection for long.
 */
export async function countRows(
  db: Db,
  product: Pick<ProductRow, 'schema_name' | 'role_name'>,
  row: PortRow,
  timeoutMs: number,
): Promise<number> {
  if (row.port_type === 'postgres-table' && row.row_count !== null) {
    return Number(row.row_count);
  }
  const count = async (trx: Knex.Transaction) => {
    await trx.raw(`SET LOCAL ROLE ${escapeIdentifier(product.role_name)}`);
    const result = await trx.raw(
      `SELECT count(*)::bigint AS n FROM ${qualifiedName(
        product.schema_name,
        row.port,
      )}`,
    );
    await trx.raw('RESET ROLE');
    return Number(result.rows[0].n);
  };
  if ((db as Knex.Transaction).isTransaction) {
    return count(db as Knex.Transaction);
  }
  const trx = await (db as Knex).transaction(null, { readOnly: true });
  try {
    await trx.raw(
      "SELECT set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true)",
      [String(timeoutMs), String(timeoutMs)],
    );
    return await count(trx);
  } finally {
    await trx.rollback();
  }
}

/**
 * What really exists for a product: its objects, their actual columns and
 * types, row counts, when each was last built, drift from the declared
 * columns, and the products holding grants on its ports.
 */
export async function inspectProduct(
  knex: Knex,
  request: {
    name: string;
    product: DataProductEntityV1alpha1 | string;
    ports?: OutputPortEntityV1alpha1[];
    /** How long counting one view's rows may take, in milliseconds. */
    countTimeoutMs: number;
  },
): Promise<DataProductStatus> {
  const { name, product, ports } = request;
  const meta = new Metadata(knex);
  const row = await meta.product(name);
  const schema =
    typeof product === 'string' ? row?.schema_name ?? '' : product.spec.schema;
  const rows = row ? await meta.ports(name) : [];
  const provisioned =
    !!row && row.schema_name === schema && (await schemaExists(knex, schema));

  const declared =
    ports?.map(p => ({
      name: String(p.spec.name),
      type: p.spec.type,
      columns: (p.spec.columns ?? []).map(c => ({
        name: c.name,
        type: c.type,
      })),
    })) ??
    rows.map(r => ({ name: r.port, type: r.port_type, columns: r.columns }));

  const records = new ContractRecords(knex);
  const contracts = row ? await records.contracts(name) : [];
  const kept = row ? await records.versions(name) : [];
  const statuses: OutputPortStatus[] = [];
  for (const port of declared) {
    const portRow = rows.find(r => r.port === port.name);
    const kind = provisioned
      ? await relationKind(knex, schema, port.name)
      : undefined;
    const columns = kind ? await readColumns(knex, schema, port.name) : [];
    const status: OutputPortStatus = {
      name: port.name,
      object: `${schema}.${port.name}`,
      type: port.type,
      exists: !!kind,
      columns,
      drift: kind ? columnDrift(port.columns, columns) : [],
    };
    if (kind && portRow) {
      try {
        status.rowCount = await countRows(
          knex,
          row!,
          portRow,
          request.countTimeoutMs,
        );
      } catch (error) {
        // A view whose product lost read access to an input (42501), or too
        // slow to count (57014): it exists, but its rows are not reported.
        if (!isPgError(error) || !['42501', '57014'].includes(error.code!)) {
          throw error;
        }
      }
      status.lastBuiltAt = portRow.last_built_at
        ? new Date(portRow.last_built_at).toISOString()
        : undefined;
    }
    const version = contracts.find(c => c.port === port.name);
    if (version?.contract_version) {
      status.version = version.contract_version;
    }
    const versions = kept.filter(k => k.port === port.name);
    if (versions.length > 0) {
      status.keptVersions = [];
      for (const k of versions) {
        status.keptVersions.push({
          major: k.major,
          version: k.contract_version,
          object: `${schema}.${k.relation}`,
          exists:
            provisioned && !!(await relationKind(knex, schema, k.relation)),
        });
      }
    }
    statuses.push(status);
  }
  const consumers = row
    ? [
        ...new Set(
          (await meta.grantsOn(name))
            .filter(g => g.consumer !== name)
            .map(g => g.consumer),
        ),
      ].sort()
    : [];
  return { product: name, schema, provisioned, ports: statuses, consumers };
}
