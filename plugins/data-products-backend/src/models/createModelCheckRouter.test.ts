import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  catalogSnapshot,
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
  type TestWarehouse,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import request from 'supertest';
import { dataProductsPlugin } from '../plugin';
import { demoCatalog } from '../testUtils/demoCatalog';

jest.setTimeout(120_000);

const CREATOR = 'user:default/mark.marketing';
const VISITOR = 'user:default/lou.logistics';

/** Only the creator may create data products, so only they may check models. */
class CreatorOnlyPolicy implements PermissionPolicy {
  async handle(_query: PolicyQuery, user?: PolicyQueryUser) {
    return {
      result:
        user?.info.userEntityRef === CREATOR
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    } as const;
  }
}

const creatorOnlyPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'creator-only-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new CreatorOnlyPolicy());
      },
    });
  },
});

const ORDERS_MODEL = `SELECT o.customer_id, count(*) AS orders, sum(o.total_amount) AS spent
FROM {{ source('sales_erp_orders', 'orders') }} AS o
GROUP BY o.customer_id`;

// Made outside the describe block, so that its own afterAll (which closes the
// databases) runs after the one below that drops the test's roles.
const databases = createWarehouseTestDatabases();

describe('POST /api/data-products/models/check', () => {
  let warehouse: TestWarehouse;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases);
    await warehouse.engine.apply(demoRequest('sales-erp-orders'));
    backend = await startTestBackend({
      features: [
        createServiceFactory({
          service: coreServices.database,
          deps: {},
          factory: async () => {
            const knex = await databases.init(warehouseTestDatabaseId());
            return { getClient: async () => knex };
          },
        }),
        createServiceFactory({
          service: warehouseServiceRef,
          deps: {},
          factory: () => warehouse.engine,
        }),
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true } },
        }),
        catalogServiceMock.factory({ entities: demoCatalog() }),
        permissionPlugin,
        creatorOnlyPolicy,
        dataProductsPlugin,
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await warehouse?.cleanup();
  });

  function check(body: unknown, user = CREATOR) {
    return request(backend.server)
      .post('/api/data-products/models/check')
      .set('Authorization', mockCredentials.user.header(user))
      .send(body as object);
  }

  const draft = {
    product: {
      name: 'marketing-order-stats',
      schema: 'marketing_order_stats',
      inputs: ['outputport:default/sales-erp-orders-orders'],
    },
    port: 'order_stats',
  };

  it('answers the columns and types PostgreSQL infers, and leaves the warehouse as it was', async () => {
    const before = await catalogSnapshot(warehouse.knex, warehouse.prefix);
    const res = await check({ ...draft, model: ORDERS_MODEL });
    expect(res.status).toBe(200);
    expect(res.body.columns).toEqual([
      { name: 'customer_id', type: 'integer' },
      { name: 'orders', type: 'bigint' },
      { name: 'spent', type: 'numeric' },
    ]);
    expect(res.body.sql).toMatch(/sales_erp\."?orders/);
    expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
      before,
    );
  });

  it('points at the line and column of a forbidden function, without a stack trace even in development', async () => {
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    const res = await Promise.resolve(
      check({
        ...draft,
        model: `SELECT customer_id,\n       pg_sleep(600) AS nap\nFROM {{ source('sales_erp_orders', 'orders') }}`,
      }),
    ).finally(() => {
      process.env.NODE_ENV = nodeEnv;
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('pg_sleep');
    expect(res.body.error.message).toContain('line 2, column 8');
    expect(res.body.error.stack).toBeUndefined();
  });

  it('refuses a reference to an undeclared input, naming it', async () => {
    const res = await check({
      ...draft,
      model: `SELECT id FROM {{ source('sales_crm_customers', 'customers') }}`,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('sales_crm_customers');
  });

  it('refuses a body without a model, naming the field', async () => {
    const res = await check(draft);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('model');
  });

  it('refuses a user who may not create data products, naming the permission', async () => {
    const res = await check({ ...draft, model: ORDERS_MODEL }, VISITOR);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('dataproduct.create');
  });
});
