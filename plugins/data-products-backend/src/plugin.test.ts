import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { DATA_PRODUCT_REGISTRY_TOPIC } from '@dataproducts/plugin-data-products-common';
import type { Knex } from 'knex';
import request from 'supertest';
import {
  register,
  port,
  product,
} from './meshIndex/__testUtils__/meshTestSetup';
import { dataProductsPlugin } from './plugin';
import { demoCatalog } from './testUtils/demoCatalog';

jest.setTimeout(120_000);

describe('dataProductsPlugin lineage', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });
  let knex: Knex;
  let events: ReturnType<typeof mockServices.events>;

  async function start() {
    // A database the test owns: the default database service of test
    // backends never closes its connection pools, which keeps jest workers alive.
    knex = await databases.init('POSTGRES_18');
    events = mockServices.events();
    const { server } = await startTestBackend({
      features: [
        dataProductsPlugin,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: demoCatalog() }),
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => events,
        }),
      ],
    });
    return server;
  }

  it('serves the lineage of a product in one request', async () => {
    const server = await start();
    const res = await request(server).get('/api/data-products/lineage').query({
      entityRef: 'dataproduct:default/marketing-customer-360',
      upstream: 3,
      downstream: 3,
    });
    expect(res.status).toBe(200);
    expect(
      res.body.nodes.filter((n: { kind: string }) => n.kind === 'Resource'),
    ).toHaveLength(3);
    expect(res.body.edges.length).toBeGreaterThan(0);
  });

  it('answers 400 for a bad depth and 404 for an unknown entity', async () => {
    const server = await start();
    const bad = await request(server).get('/api/data-products/lineage').query({
      entityRef: 'dataproduct:default/marketing-customer-360',
      upstream: 'deep',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Invalid upstream 'deep'/);
    const missing = await request(server)
      .get('/api/data-products/lineage')
      .query({ entityRef: 'dataproduct:default/nope' });
    expect(missing.status).toBe(404);
  });

  it('answers from the mesh index, built at start-up and updated by registry events', async () => {
    const server = await start();
    // The reconcile ran at start-up.
    expect(
      await knex('data_product_mesh_nodes').count({ n: '*' }).first(),
    ).toEqual({ n: '11' });
    await register(
      knex,
      product('marketing-email-list', {
        inputs: ['outputport:sales-crm-customers-customers'],
      }),
      [port('marketing-email-list', 'recipients')],
    );
    await events.publish({
      topic: DATA_PRODUCT_REGISTRY_TOPIC,
      eventPayload: { id: 1, name: 'marketing-email-list', op: 'upsert' },
    });
    // The index follows the event in the background.
    for (let i = 0; i < 200; i++) {
      const indexed = await knex('data_product_mesh_nodes')
        .where({ ref: 'dataproduct:default/marketing-email-list' })
        .first();
      if (indexed) break;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    const res = await request(server).get('/api/data-products/lineage').query({
      entityRef: 'resource:default/crm-customers',
      downstream: 2,
    });
    expect(res.status).toBe(200);
    expect(res.body.nodes.map((n: { id: string }) => n.id)).toEqual(
      expect.arrayContaining([
        'dataproduct:default/marketing-email-list',
        'outputport:default/marketing-email-list-recipients',
      ]),
    );
  });

  it('answers 400 naming each hostile value', async () => {
    const server = await start();
    const lineage = (query: string) =>
      request(server).get(`/api/data-products/lineage?${query}`);
    for (const [query, message] of [
      [
        'entityRef=dataproduct:default/a&entityRef=dataproduct:default/b',
        "Invalid entityRef 'dataproduct:default/a', 'dataproduct:default/b': give one entity ref, once",
      ],
      [
        `entityRef=dataproduct:default/${'x'.repeat(300)}`,
        "Invalid entityRef 'dataproduct:default/xxxx",
      ],
      ['entityRef[kind]=x', "Invalid entityRef '[object Object]'"],
      [
        'entityRef=nope&upstream=1',
        "Invalid entityRef 'nope': expected kind:namespace/name",
      ],
      [
        'upstream=-1',
        "Invalid upstream '-1': give a whole number of hops from 0 to 25",
      ],
      ['downstream=1e3', "Invalid downstream '1e3'"],
      ['downstream=2&downstream=3', "Invalid downstream '2', '3'"],
      [
        'upstream=26',
        "Invalid upstream depth '26': give a whole number from 0 to 25",
      ],
      ['upstream=99999999999', "Invalid upstream '99999999999'"],
    ]) {
      const res = await lineage(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.message).toContain(message);
      expect(res.body.error.stack).toBeUndefined();
    }
  });

  it('refuses unauthenticated requests', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/data-products/lineage')
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(res.status).toBe(401);
  });
});
