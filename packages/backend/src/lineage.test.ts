import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleDataProducts from '@dataproducts/plugin-catalog-backend-module-data-products';
import dataProductsPlugin from '@dataproducts/plugin-data-products-backend';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  createTestWarehouse,
  type TestWarehouse,
} from '@dataproducts/plugin-data-products-node/testUtils';
import request from 'supertest';
import { eventually, testCatalogConfig } from './__testUtils__/catalogConfig';
import { databasePerPlugin } from './__testUtils__/databasePerPlugin';
import { sharedEvents } from './__testUtils__/sharedEvents';

// Lineage through the real catalog, scheduler and events: the mesh index is
// built by its scheduled reconcile from the catalog's file locations and
// answers the lineage of the demo products. (The mock auth service of test
// backends cannot ask the permission backend on a user's behalf, so the
// caller's visibility is tested in the plugin's LineageService tests.)

jest.setTimeout(180_000);

describe('lineage from the mesh index', () => {
  let warehouse: TestWarehouse;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  afterAll(async () => {
    await backend?.stop();
    await warehouse?.cleanup();
  });
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });
  const perPlugin = databasePerPlugin(databases);

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 10 });
    backend = await startTestBackend({
      features: [
        schedulerServiceFactory,
        perPlugin,
        sharedEvents(),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            permission: { enabled: false },
            dataProducts: {
              meshIndex: {
                schedule: {
                  frequency: { seconds: 1 },
                  timeout: { minutes: 1 },
                },
              },
            },
            catalog: testCatalogConfig({
              files: [
                'catalog-info/org.yaml',
                'catalog-info/resources.yaml',
                'fixtures/demo-data-products.yaml',
              ],
            }),
          },
        }),
        createServiceFactory({
          service: warehouseServiceRef,
          deps: {},
          factory: () => warehouse.engine,
        }),
        catalogPlugin,
        catalogModuleDataProducts,
        dataProductsPlugin,
      ],
    });
  });

  it('answers the lineage of the demo products from the index the reconcile built', async () => {
    const server = backend!.server;
    const knex = perPlugin.knexOf('data-products');
    // The reconcile has read the catalog's products, ports and sources,
    // with every port's owner (its product's, from the catalog's relations).
    const nodes = await eventually(async () => {
      const rows = await knex('data_product_mesh_nodes').orderBy('ref');
      return rows.length === 11 && rows.every(row => row.owner)
        ? rows
        : undefined;
    });
    expect(nodes.map(n => `${n.kind} ${n.origin}`)).toEqual([
      ...Array(4).fill('DataProduct catalog'),
      ...Array(4).fill('OutputPort catalog'),
      ...Array(3).fill('Resource catalog'),
    ]);
    const res = await request(server).get('/api/data-products/lineage').query({
      entityRef: 'resource:default/crm-customers',
      downstream: 5,
    });
    expect(res.status).toBe(200);
    expect(res.body.nodes.map((n: { id: string }) => n.id).sort()).toEqual([
      'dataproduct:default/marketing-customer-360',
      'dataproduct:default/sales-crm-customers',
      'outputport:default/marketing-customer-360-customer-activity',
      'outputport:default/sales-crm-customers-customers',
      'resource:default/crm-customers',
    ]);
    expect(
      res.body.nodes.find(
        (n: { id: string }) =>
          n.id === 'outputport:default/sales-crm-customers-customers',
      ),
    ).toMatchObject({ owner: 'group:default/sales', distance: 1 });
  });
});
