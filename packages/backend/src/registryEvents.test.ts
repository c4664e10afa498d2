import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleDataProducts from '@dataproducts/plugin-catalog-backend-module-data-products';
import dataProductsPlugin from '@dataproducts/plugin-data-products-backend';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  createTestWarehouse,
  demoRequest,
  type TestWarehouse,
} from '@dataproducts/plugin-data-products-node/testUtils';
import request from 'supertest';
import { eventually, testCatalogConfig } from './__testUtils__/catalogConfig';
import { databasePerPlugin } from './__testUtils__/databasePerPlugin';
import { sharedEvents } from './__testUtils__/sharedEvents';

// How a registered product reaches the catalog: the registry announces each
// change on the events service, and the catalog module's entity provider
// applies it as a delta mutation. The provider's fallback poll is set to an
// hour here, so after its first (full) publication only the events can bring
// a create, an update and a delete to the catalog.

jest.setTimeout(180_000);

type Server = Parameters<typeof request>[0];

describe('registry changes reach the catalog through events', () => {
  let warehouse: TestWarehouse;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  afterAll(async () => {
    await backend?.stop();
    await warehouse?.cleanup();
  });
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });
  let server: Server;

  const catalogEntity = async (
    kind: string,
    name: string,
  ): Promise<Entity | undefined> => {
    const res = await request(server).get(
      `/api/catalog/entities/by-name/${kind}/default/${name}`,
    );
    return res.status === 200 ? res.body : undefined;
  };

  const relations = (entity: Entity) =>
    (entity.relations ?? []).map(r => `${r.type} ${r.targetRef}`).sort();

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 10 });
    backend = await startTestBackend({
      features: [
        schedulerServiceFactory,
        databasePerPlugin(databases),
        sharedEvents(),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            permission: { enabled: false },
            dataProducts: {
              registry: {
                catalogSync: {
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
            catalog: testCatalogConfig({
              files: ['catalog-info/org.yaml', 'catalog-info/resources.yaml'],
              processingInterval: { minutes: 30 },
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
    server = backend.server;
    // The owners and domains a registration is checked against.
    await eventually(async () =>
      (await catalogEntity('domain', 'sales')) &&
      (await catalogEntity('group', 'sales'))
        ? true
        : undefined,
    );
  });

  it('publishes a registered product complete, drops the port an update leaves out, and removes a deleted product', async () => {
    const { product, ports } = demoRequest('sales-crm-customers');
    const [customers] = ports;
    const contacts = {
      ...customers,
      metadata: { ...customers.metadata, name: 'sales-crm-customers-contacts' },
      spec: { ...customers.spec, name: 'contacts' },
    };
    const url = '/api/data-products/registry/products/sales-crm-customers';

    const created = await request(server)
      .put(url)
      .send({ product, ports: [customers, contacts] });
    expect(created.status).toBe(201);

    // The first version of each port the catalog shows has every relation.
    const port = await eventually(() =>
      catalogEntity('outputport', 'sales-crm-customers-contacts'),
    );
    expect(relations(port)).toEqual([
      'ownedBy group:default/sales',
      'partOf dataproduct:default/sales-crm-customers',
    ]);
    expect(port.spec?.owner).toBe('group:sales');
    const published = await eventually(() =>
      catalogEntity('dataproduct', 'sales-crm-customers'),
    );
    expect(relations(published)).toEqual(
      expect.arrayContaining([
        'ownedBy group:default/sales',
        'partOf domain:default/sales',
      ]),
    );

    // An update that leaves a port out removes that port's entity.
    const updated = await request(server)
      .put(url)
      .send({
        product: {
          ...product,
          metadata: { ...product.metadata, title: 'CRM Customers, renamed' },
        },
        ports: [customers],
      });
    expect(updated.status).toBe(200);
    await eventually(async () =>
      (
        await catalogEntity('dataproduct', 'sales-crm-customers')
      )?.metadata.title === 'CRM Customers, renamed'
        ? true
        : undefined,
    );
    await eventually(async () =>
      (await catalogEntity('outputport', 'sales-crm-customers-contacts'))
        ? undefined
        : true,
    );
    expect(
      await catalogEntity('outputport', 'sales-crm-customers-customers'),
    ).toBeDefined();

    // A removal removes every entity of the product.
    expect((await request(server).delete(url)).status).toBe(204);
    await eventually(async () =>
      (await catalogEntity('dataproduct', 'sales-crm-customers')) ||
      (await catalogEntity('outputport', 'sales-crm-customers-customers'))
        ? undefined
        : true,
    );
  });
});
