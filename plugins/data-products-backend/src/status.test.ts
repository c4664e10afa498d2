import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockServices,
  TestDatabases,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import {
  WarehouseEngine,
  warehouseServiceRef,
} from '@dataproducts/plugin-data-products-node';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { dataProductsPlugin } from './plugin';
import { demoCatalog } from './testUtils/demoCatalog';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

async function seedCustomers(knex: Knex) {
  await knex.raw('CREATE SCHEMA sources');
  await knex.raw(`CREATE TABLE sources.crm_customers (
    id INTEGER PRIMARY KEY, first_name VARCHAR(50), last_name VARCHAR(50),
    email VARCHAR(100), signup_date DATE)`);
  await knex.raw(`INSERT INTO sources.crm_customers VALUES
    (1, 'Ada', 'Lovelace', 'ada@example.com', '2024-01-02'),
    (2, 'Alan', 'Turing', 'alan@example.com', '2024-02-03'),
    (3, 'Grace', 'Hopper', 'grace@example.com', '2024-03-04')`);
}

async function dropRoles(knex: Knex, prefix: string) {
  const { rows } = await knex.raw(
    'SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?) ORDER BY rolname DESC',
    [prefix],
  );
  for (const { rolname } of rows) {
    await knex.raw('DROP OWNED BY ?? CASCADE', [rolname]);
    await knex.raw('DROP ROLE ??', [rolname]);
  }
}

async function startPortal(engine: Pick<WarehouseEngine, 'inspect'>) {
  // A database the test owns: the default database service of test backends
  // never closes its connection pools, which keeps jest workers alive.
  const knex = await databases.init('POSTGRES_18');
  return startTestBackend({
    features: [
      dataProductsPlugin,
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({ entities: demoCatalog() }),
      createServiceFactory({
        service: warehouseServiceRef,
        deps: {},
        factory: () => engine as WarehouseEngine,
      }),
    ],
  });
}

describe('status endpoints against PostgreSQL', () => {
  let knex: Knex;
  let engine: WarehouseEngine;
  let prefix: string;
  const catalog = demoCatalog();
  const crmProduct = catalog.find(
    e => e.metadata.name === 'sales-crm-customers',
  ) as DataProductEntityV1alpha1;
  const crmPort = catalog.find(
    e => e.metadata.name === 'sales-crm-customers-customers',
  ) as OutputPortEntityV1alpha1;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_18');
    prefix = `t${randomBytes(4).toString('hex')}_`;
    await seedCustomers(knex);
    engine = new WarehouseEngine({ knex, rolePrefix: prefix });
    await engine.apply({ product: crmProduct, ports: [crmPort] });
  });

  afterAll(async () => {
    await dropRoles(knex, prefix);
  });

  it('reports a provisioned product with row counts and no drift', async () => {
    const { server } = await startPortal(engine);
    const res = await request(server).get(
      '/api/data-products/products/default/sales-crm-customers/status',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      product: 'sales-crm-customers',
      schema: 'sales_crm',
      provisioned: true,
    });
    expect(res.body.ports).toHaveLength(1);
    expect(res.body.ports[0]).toMatchObject({
      name: 'customers',
      object: 'sales_crm.customers',
      type: 'postgres-table',
      exists: true,
      rowCount: 3,
      drift: [],
    });
    expect(
      res.body.ports[0].columns.map((c: { name: string }) => c.name),
    ).toEqual(['id', 'first_name', 'last_name', 'email', 'signup_date']);
    expect(typeof res.body.ports[0].lastBuiltAt).toBe('string');
  });

  it('reports one port through the port route', async () => {
    const { server } = await startPortal(engine);
    const res = await request(server).get(
      '/api/data-products/ports/default/sales-crm-customers-customers/status',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'customers',
      exists: true,
      rowCount: 3,
    });
  });

  it('reports a product that is not provisioned yet', async () => {
    const { server } = await startPortal(engine);
    const res = await request(server).get(
      '/api/data-products/products/default/marketing-customer-360/status',
    );
    expect(res.status).toBe(200);
    expect(res.body.provisioned).toBe(false);
    expect(res.body.ports).toEqual([
      expect.objectContaining({ name: 'customer_activity', exists: false }),
    ]);
  });

  it('answers 404 for a product the catalog does not know', async () => {
    const { server } = await startPortal(engine);
    const res = await request(server).get(
      '/api/data-products/products/default/no-such-product/status',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      "No DataProduct 'dataproduct:default/no-such-product' in the catalog",
    );
  });

  it('reports drift column by column when the warehouse no longer matches the contract', async () => {
    await knex.raw('ALTER TABLE sales_crm.customers DROP COLUMN email');
    await knex.raw(
      'ALTER TABLE sales_crm.customers ALTER COLUMN signup_date TYPE TEXT',
    );
    const { server } = await startPortal(engine);
    const res = await request(server).get(
      '/api/data-products/ports/default/sales-crm-customers-customers/status',
    );
    expect(res.status).toBe(200);
    expect(res.body.drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ column: 'email', kind: 'missing' }),
        expect.objectContaining({
          column: 'signup_date',
          kind: 'type',
          actual: 'text',
        }),
      ]),
    );
    expect(res.body.drift).toHaveLength(2);
  });

  it('answers 503 with the reason when the warehouse is unreachable', async () => {
    const unreachable = knexFactory({
      client: 'pg',
      connection: {
        host: '127.0.0.1',
        port: 1,
        user: 'nobody',
        database: 'nowhere',
      },
      pool: { min: 0, max: 1 },
      acquireConnectionTimeout: 5000,
    });
    const offline = new WarehouseEngine({
      knex: unreachable,
      rolePrefix: prefix,
    });
    try {
      const { server } = await startPortal(offline);
      const res = await request(server).get(
        '/api/data-products/products/default/sales-crm-customers/status',
      );
      expect(res.status).toBe(503);
      expect(res.body.error.name).toBe('ServiceUnavailableError');
      expect(res.body.error.message).toMatch(
        /^The warehouse is unreachable: .*ECONNREFUSED/,
      );
    } finally {
      await unreachable.destroy();
    }
  });
});
