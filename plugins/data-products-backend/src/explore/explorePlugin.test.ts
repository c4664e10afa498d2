import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import type { ExploreResponse } from '@dataproducts/plugin-data-products-common';
import {
  createWarehouseTestDatabases,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import request from 'supertest';
import { dataProductsPlugin } from '../plugin';
import { demoCatalog } from '../testUtils/demoCatalog';

jest.setTimeout(120_000);

describe('GET /api/data-products/explore in the plugin', () => {
  const databases = createWarehouseTestDatabases();

  it('answers the demo from the mesh index the plugin builds at start-up', async () => {
    const knex = await databases.init(warehouseTestDatabaseId());
    const { server } = await startTestBackend({
      features: [
        dataProductsPlugin,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: demoCatalog() }),
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => mockServices.events(),
        }),
      ],
    });

    const res = await request(server).get('/api/data-products/explore');
    expect(res.status).toBe(200);
    const page: ExploreResponse = res.body;
    expect(page.totalCount).toBe(4);
    expect(
      page.items.map(item => [
        item.title,
        item.domain,
        item.owner,
        item.ports.map(port => port.name),
        item.consumers,
      ]),
    ).toEqual([
      [
        'Logistics WMS Shipments',
        'domain:default/logistics',
        'group:default/logistics',
        ['shipments'],
        1,
      ],
      [
        'Marketing Customer 360',
        'domain:default/marketing',
        'group:default/marketing',
        ['customer_activity'],
        0,
      ],
      [
        'Sales CRM Customers',
        'domain:default/sales',
        'group:default/sales',
        ['customers'],
        1,
      ],
      [
        'Sales ERP Orders',
        'domain:default/sales',
        'group:default/sales',
        ['orders'],
        1,
      ],
    ]);
    expect(page.facets.domain).toEqual([
      { value: 'domain:default/sales', count: 2 },
      { value: 'domain:default/logistics', count: 1 },
      { value: 'domain:default/marketing', count: 1 },
    ]);

    // A column of a port finds its product.
    const search = await request(server)
      .get('/api/data-products/explore')
      .query({ q: 'delivery_status', domain: 'domain:default/marketing' });
    expect(
      search.body.items.map((item: { name: string }) => item.name),
    ).toEqual(['marketing-customer-360']);

    const hostile = await request(server)
      .get('/api/data-products/explore')
      .query({ limit: '100000' });
    expect(hostile.status).toBe(400);
    expect(hostile.body.error.message).toMatch(/Invalid limit "100000"/);
    expect(
      (
        await request(server)
          .get('/api/data-products/explore')
          .set('authorization', 'Bearer nope')
      ).status,
    ).toBe(401);
  });
});
