import { Knex } from 'knex';
import { ConflictError } from '@backstage/errors';
import { relationKind, roleExists, schemaExists } from './catalog';
import { sourceGrantsLock } from './locks';
import { Metadata, ProductRow } from './metadata';
import { readPortReaders } from './readers';
import { RunnableStep } from './runner';
import { escapeIdentifier, qualifiedName } from './sql';
import { PlanStatement } from './types';

/** What decommissioning a product takes: its row, its consumers and the steps. */
export interface DecommissionPlan {
  row: ProductRow;
  /**
   * Who still reads the product's ports: other products (by name) and groups
   * (`group:<namespace>/<name>`) whose roles hold a reader role.
   */
  consumers: string[];
  steps: RunnableStep[];
}

/**
 * The steps that remove a product: its schema with every port (as the
 * product role, which owns them), its reader roles, its grants on source
 * tables and its role; then its metadata rows. Refused while other products
 * or groups read its ports (a grant the portal recorded, or a membership of a
 * reader role in `pg_auth_members`), unless `force`. Undefined when the
 * portal has no record of the product.
 */
export async function planDecommission(
  trx: Knex.Transaction,
  product: string,
  options: { force?: boolean; sourceSchema: string },
): Promise<DecommissionPlan | undefined> {
  const meta = new Metadata(trx);
  const row = await meta.product(product);
  if (!row) {
    return undefined;
  }
  const ports = await meta.ports(product);
  // Groups hold reader roles through access requests, which the grants
  // table does not record: pg_auth_members says who really reads.
  const readers = (
    await Promise.all(ports.map(p => readPortReaders(trx, product, p.port)))
  ).flat();
  const consumers = [
    ...new Set([
      ...(await meta.grantsOn(product)).map(g => g.consumer),
      ...readers.flatMap(r => r.product ?? r.group ?? []),
    ]),
  ].filter(consumer => consumer !== product);
  if (consumers.length > 0 && !options.force) {
    throw new ConflictError(
      `Data product '${product}' is still read by ${consumers
        .map(c => `'${c}'`)
        .join(', ')}. Revoke their grants first, or decommission with force.`,
    );
  }
  const role = escapeIdentifier(row.role_name);
  const steps: RunnableStep[] = [];
  if (await schemaExists(trx, row.schema_name)) {
    steps.push({
      id: 'drop-schema',
      description: `Drop schema ${row.schema_name} with every port`,
      statements: [
        {
          sql: `DROP SCHEMA ${escapeIdentifier(row.schema_name)} CASCADE`,
          role: row.role_name,
        },
      ],
    });
  }
  if (ports.length > 0) {
    steps.push({
      id: 'drop-reader-roles',
      description: `Drop the reader roles of ${ports
        .map(p => `${row.schema_name}.${p.port}`)
        .join(', ')}`,
      statements: ports.map(p => ({
        sql: `DROP ROLE IF EXISTS ${escapeIdentifier(p.reader_role)}`,
      })),
    });
  }
  if (await roleExists(trx, row.role_name)) {
    const statements: PlanStatement[] = [];
    for (const port of ports.filter(p => p.source_table)) {
      const [schema, table] = port.source_table!.split('.');
      if (await relationKind(trx, schema, table)) {
        statements.push({
          sql: `REVOKE SELECT ON ${qualifiedName(schema, table)} FROM ${role}`,
        });
      }
    }
    if (await schemaExists(trx, options.sourceSchema)) {
      statements.push({
        sql: `REVOKE USAGE ON SCHEMA ${escapeIdentifier(
          options.sourceSchema,
        )} FROM ${role}`,
      });
    }
    statements.push({ sql: `DROP ROLE ${role}` });
    steps.push({
      id: 'drop-product-role',
      description: `Drop role ${row.role_name} with its grants`,
      statements,
      locks: [sourceGrantsLock(options.sourceSchema)],
    });
  }
  steps.push({
    id: 'forget-product',
    description: `Remove data product ${product} from the portal's records`,
    statements: [],
    record: () => meta.deleteProduct(product),
  });
  return { row, consumers, steps };
}
