import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
  provisionDemo,
  TestWarehouse,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import request from 'supertest';
import { dataProductsPlugin } from '../plugin';
import { demoCatalog } from '../testUtils/demoCatalog';

jest.setTimeout(120_000);

describe('GET /api/data-products/ports/:namespace/:name/quality and /quality', () => {
  let warehouse: TestWarehouse;
  const stops: Array<() => Promise<void>> = [];
  // Declared before the test databases, whose own afterAll closes them.
  afterAll(async () => {
    for (const stop of stops) await stop();
    await warehouse?.cleanup();
  });
  const databases = createWarehouseTestDatabases();

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases);
    await provisionDemo(warehouse.engine);
    // A second build of customers with a rule that warns.
    const warned = demoRequest('sales-crm-customers');
    warned.ports[0].spec.quality = [
      {
        name: 'many_customers',
        metric: 'rowCount',
        mustBeGreaterThan: 1_000_000,
        severity: 'warning',
      },
    ];
    await warehouse.engine.apply(warned);
  });

  async function startPortal(entities: Entity[]) {
    const backend = await startTestBackend({
      features: [
        createServiceFactory({
          service: coreServices.database,
          deps: {},
          factory: async () => {
            const knex = await databases.init(warehouseTestDatabaseId());
            return { getClient: async () => knex };
          },
        }),
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
        catalogServiceMock.factory({ entities }),
        createServiceFactory({
          service: warehouseServiceRef,
          deps: {},
          factory: () => warehouse.engine,
        }),
        dataProductsPlugin,
      ],
    });
    stops.push(() => backend.stop());
    return request(backend.server);
  }

  it("answers a port's latest results and each rule's history, as stored in the warehouse", async () => {
    const server = await startPortal(demoCatalog());
    const res = await server.get(
      '/api/data-products/ports/default/sales-crm-customers-customers/quality',
    );
    expect(res.status).toBe(200);
    expect(res.body.product).toBe('sales-crm-customers');
    expect(res.body.port).toBe('customers');
    expect(res.body.builds.map((b: { outcome: string }) => b.outcome)).toEqual([
      'warning',
      'passed',
    ]);
    const stored = await warehouse.knex.raw(
      `SELECT count(*)::int AS n FROM dataproducts_meta.quality_builds
        WHERE product = 'sales-crm-customers' AND port = 'customers'`,
    );
    expect(res.body.builds).toHaveLength(stored.rows[0].n);
    const byKey = Object.fromEntries(
      res.body.rules.map((r: { key: string }) => [r.key, r]),
    );
    expect(Object.keys(byKey)).toEqual([
      'primaryKey_id',
      'required_id',
      'many_customers',
    ]);
    expect(byKey.primaryKey_id.latest).toMatchObject({
      kind: 'constraint',
      value: 0,
      passed: true,
      severity: 'error',
    });
    expect(byKey.primaryKey_id.history).toHaveLength(2);
    expect(byKey.many_customers.latest).toMatchObject({
      kind: 'rule',
      value: 500,
      passed: false,
      severity: 'warning',
      detail: '500 rows, must be > 1000000',
    });
    expect(byKey.many_customers.history).toHaveLength(1);
  });

  it('answers the latest outcome of each port of the products the caller can see', async () => {
    const server = await startPortal(demoCatalog());
    const res = await server.get(
      '/api/data-products/quality?products=sales-crm-customers,marketing-customer-360',
    );
    expect(res.status).toBe(200);
    expect(
      res.body.ports.map(
        (p: { port: string; outcome: string; failedWarnings: number }) => [
          p.port,
          p.outcome,
          p.failedWarnings,
        ],
      ),
    ).toEqual([
      ['customer_activity', 'passed', 0],
      ['customers', 'warning', 1],
    ]);
    // A product the catalog does not show the caller is not answered.
    const hidden = await startPortal(
      demoCatalog().filter(e => e.metadata.name !== 'sales-crm-customers'),
    );
    const partial = await hidden.get('/api/data-products/quality');
    expect(
      partial.body.ports.map((p: { product: string }) => p.product),
    ).not.toContain('sales-crm-customers');
  });

  it('refuses a hostile product list and names the value, and answers 404 for an unknown port', async () => {
    const server = await startPortal(demoCatalog());
    const bad = await server.get(
      `/api/data-products/quality?products=${encodeURIComponent("x';DROP")}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      `Invalid data product name "x';DROP"`,
    );
    expect(bad.body.error.stack).toBeUndefined();
    const missing = await server.get(
      '/api/data-products/ports/default/nope/quality',
    );
    expect(missing.status).toBe(404);
  });
});
