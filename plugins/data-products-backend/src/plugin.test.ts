import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { dataProductsPlugin } from './plugin';
import { demoCatalog } from './testUtils/demoCatalog';

describe('dataProductsPlugin lineage', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  async function start() {
    // A database the test owns: the default database service of test
    // backends never closes its connection pools, which keeps jest workers alive.
    const knex = await databases.init('POSTGRES_18');
    const { server } = await startTestBackend({
      features: [
        dataProductsPlugin,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: demoCatalog() }),
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

  it('refuses unauthenticated requests', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/data-products/lineage')
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(res.status).toBe(401);
  });
});
