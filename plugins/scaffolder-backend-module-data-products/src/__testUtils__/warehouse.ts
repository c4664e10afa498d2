import {
  TestDatabases,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { seedSourceData } from '@dataproducts/demo-data';
import { WarehouseEngine } from '@dataproducts/plugin-data-products-node';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createProvisionAction } from '../actions/provision';
import { createCatalogProductResolver } from '../actions/resolver';

/**
 * The PostgreSQL the tests run on: 18, unless DATAPRODUCTS_TEST_POSTGRES
 * names another (`./portal test` runs them a second time on POSTGRES_15).
 */
export const TEST_DATABASE_ID = (process.env.DATAPRODUCTS_TEST_POSTGRES ??
  'POSTGRES_18') as TestDatabaseId;

/** The demo products in the order they can be provisioned (inputs first). */
export const DEMO_PRODUCTS = [
  'sales-crm-customers',
  'sales-erp-orders',
  'logistics-wms-shipments',
  'marketing-customer-360',
];

/** The demo's products and ports (fixtures/demo-data-products.yaml) as the catalog holds them. */
export const demoEntities: Entity[] = parseAllDocuments(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../fixtures/demo-data-products.yaml'),
    'utf8',
  ),
).map(document => {
  const entity = document.toJSON() as Entity;
  return {
    ...entity,
    metadata: { namespace: DEFAULT_NAMESPACE, ...entity.metadata },
  };
});

type Knex = Awaited<ReturnType<TestDatabases['init']>>;

async function dropRoles(knex: Knex, prefix: string) {
  const { rows } = await knex.raw(
    'SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?) ORDER BY rolname DESC',
    [prefix],
  );
  if (rows.length === 0) {
    return;
  }
  const names = rows.map(({ rolname }: { rolname: string }) => `"${rolname}"`);
  await knex.raw(`DROP OWNED BY ${names.join(', ')} CASCADE`);
  for (const name of names) {
    await knex.raw(`DROP ROLE ${name}`);
  }
}

/**
 * A fresh database with the demo's source tables (300 customers), the real
 * warehouse engine on it with roles of a unique prefix, and the provision
 * action reading products from a catalog of the demo entities. `cleanup`
 * drops the roles, which outlive the database.
 */
export async function createTestWarehouse(databases: TestDatabases) {
  const knex = await databases.init(TEST_DATABASE_ID);
  const rolePrefix = `a${randomBytes(4).toString('hex')}_`;
  await seedSourceData(knex, { customers: 300 });
  const warehouse = new WarehouseEngine({ knex, rolePrefix });
  const provision = createProvisionAction({
    warehouse,
    resolver: createCatalogProductResolver(
      catalogServiceMock({ entities: demoEntities }),
    ),
  });
  return {
    knex,
    warehouse,
    provision,
    /** Provisions demo products by entity ref, in the order given. */
    provisionDemo: async (names = DEMO_PRODUCTS) => {
      for (const name of names) {
        await provision.handler(
          createMockActionContext({
            input: { entityRef: `dataproduct:${DEFAULT_NAMESPACE}/${name}` },
          }),
        );
      }
    },
    cleanup: () => dropRoles(knex, rolePrefix),
  };
}
