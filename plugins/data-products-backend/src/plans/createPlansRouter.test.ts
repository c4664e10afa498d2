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

jest.setTimeout(180_000);

const OWNER = 'user:default/ana.sales';
const VISITOR = 'user:default/lou.logistics';

/** Only the owner may create and update data products. */
class OwnerOnlyPolicy implements PermissionPolicy {
  async handle(_query: PolicyQuery, user?: PolicyQueryUser) {
    return {
      result:
        user?.info.userEntityRef === OWNER
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    } as const;
  }
}

const ownerOnlyPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'owner-only-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new OwnerOnlyPolicy());
      },
    });
  },
});

// Made outside the describe block, so that its own afterAll (which closes the
// databases) runs after the one below that drops the test's roles.
const databases = createWarehouseTestDatabases();

/** Sales CRM Customers as the template would provision it, its port's columns changed. */
function customers(
  change: (
    columns: Array<Record<string, unknown>>,
  ) => Array<Record<string, unknown>>,
) {
  const { product, ports } = demoRequest('sales-crm-customers');
  return {
    product,
    ports: ports.map(port => ({
      ...port,
      spec: { ...port.spec, columns: change(port.spec.columns) },
    })),
  };
}

describe('POST /api/data-products/plans', () => {
  let warehouse: TestWarehouse;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases);
    for (const name of [
      'sales-crm-customers',
      'sales-erp-orders',
      'logistics-wms-shipments',
      'marketing-customer-360',
    ]) {
      await warehouse.engine.apply(demoRequest(name));
    }
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
        ownerOnlyPolicy,
        dataProductsPlugin,
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await warehouse?.cleanup();
  });

  function plan(body: unknown, user = OWNER) {
    return request(backend.server)
      .post('/api/data-products/plans')
      .set('Authorization', mockCredentials.user.header(user))
      .send(body as object);
  }

  it('answers the steps and the diff of a change that breaks nothing', async () => {
    const before = await catalogSnapshot(warehouse.knex, warehouse.prefix);
    const res = await plan(
      customers(columns =>
        columns.map(c =>
          c.name === 'email' ? { ...c, description: 'Where we write.' } : c,
        ),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body.problem).toBeUndefined();
    expect(res.body.steps.map((s: { id: string }) => s.id)).toContain(
      'build:customers',
    );
    expect(res.body.diff).toMatchObject({
      product: 'sales-crm-customers',
      new: false,
      breaking: false,
      refused: false,
    });
    expect(res.body.diff.ports[0].columns).toEqual([
      expect.objectContaining({
        column: 'email',
        kind: 'description',
        breaking: false,
      }),
    ]);
    expect(res.body.diff.ports[0].consumers).toEqual([
      expect.objectContaining({
        product: 'marketing-customer-360',
        via: expect.arrayContaining(['declared-input']),
      }),
    ]);
    expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
      before,
    );
  });

  it('shows a breaking change refused while a consumer reads the port, and changes nothing', async () => {
    const before = await catalogSnapshot(warehouse.knex, warehouse.prefix);
    const res = await plan(
      customers(columns => columns.filter(c => c.name !== 'email')),
    );
    expect(res.status).toBe(200);
    expect(res.body.diff).toMatchObject({ breaking: true, refused: true });
    expect(res.body.diff.ports[0]).toMatchObject({
      outcome: 'refused',
      columns: [
        expect.objectContaining({
          column: 'email',
          kind: 'removed',
          breaking: true,
        }),
      ],
    });
    expect(res.body.steps).toEqual([]);
    expect(res.body.problem.name).toBe('ConflictError');
    expect(res.body.problem.message).toContain("'marketing-customer-360'");
    expect(res.body.problem.message).toContain('spec.version to 2.0.0');
    expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
      before,
    );
  });

  it('refuses a user who may not update the product with 403, changing nothing', async () => {
    const before = await catalogSnapshot(warehouse.knex, warehouse.prefix);
    const res = await plan(
      customers(columns => columns.filter(c => c.name !== 'email')),
      VISITOR,
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('dataproduct.update');
    expect(res.body.diff).toBeUndefined();
    expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
      before,
    );
  });

  it('refuses hostile bodies with a 400 naming the bad value', async () => {
    const badType = await plan(
      customers(columns =>
        columns.map(c =>
          c.name === 'email' ? { ...c, type: 'TEXT; DROP TABLE x' } : c,
        ),
      ),
    );
    expect(badType.status).toBe(400);
    expect(badType.body.error.message).toContain('TEXT; DROP TABLE x');
    expect(badType.body.error.stack).toBeUndefined();

    const noName = await plan({ product: { metadata: {} }, ports: [] });
    expect(noName.status).toBe(400);
    expect(noName.body.error.message).toContain('product.metadata.name');

    const huge = await plan({
      ...customers(c => c),
      padding: 'x'.repeat(600 * 1024),
    });
    expect(huge.status).toBe(413);
  });
});
