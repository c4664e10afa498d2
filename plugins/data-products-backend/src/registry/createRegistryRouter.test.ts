import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  createTestWarehouse,
  demoRequest,
  provisionDemo,
  type TestWarehouse,
} from '@dataproducts/plugin-data-products-node/testUtils';
import type { Knex } from 'knex';
import request from 'supertest';
import { dataProductsPlugin } from '../plugin';
import { readEntities } from '../testUtils/demoCatalog';
import { REGISTRY_BODY_LIMIT } from './createRegistryRouter';

jest.setTimeout(120_000);

const { product, ports } = demoRequest('marketing-customer-360');
const url = '/api/data-products/registry/products/marketing-customer-360';

describe('registry HTTP API', () => {
  let warehouse: TestWarehouse;
  // Before TestDatabases registers its own clean-up, which closes the connections.
  afterAll(async () => {
    await warehouse?.cleanup();
  });
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 20 });
  });

  beforeEach(async () => {
    // Every test starts from the provisioned demo (a removal decommissions).
    await provisionDemo(warehouse.engine);
  });

  async function start(options: { knex?: Knex; features?: any[] } = {}) {
    const knex = options.knex ?? (await databases.init('POSTGRES_18'));
    const { server } = await startTestBackend({
      features: [
        ...(options.features ?? []),
        dataProductsPlugin,
        catalogServiceMock.factory({
          entities: readEntities('catalog-info/org.yaml'),
        }),
        mockServices.database.factory({ knex }),
        createServiceFactory({
          service: warehouseServiceRef,
          deps: {},
          factory: () => warehouse.engine,
        }),
      ],
    });
    return server;
  }

  const schemaExists = async (schema: string) =>
    (
      await warehouse.knex.raw(
        'SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?',
        [schema],
      )
    ).rows.length === 1;

  it('registers, updates, lists and removes a product', async () => {
    const server = await start();

    const dry = await request(server)
      .put(`${url}?dryRun=true`)
      .send({ product, ports });
    expect(dry.status).toBe(204);
    expect(
      (await request(server).get('/api/data-products/registry/products')).body,
    ).toEqual({ items: [], cursor: 0 });

    const created = await request(server).put(url).send({ product, ports });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'provisioned',
      registeredBy: mockCredentials.user().principal.userEntityRef,
    });

    const updated = await request(server)
      .put(url)
      .send({
        product: {
          ...product,
          metadata: { ...product.metadata, title: 'M360' },
        },
        ports,
      });
    expect(updated.status).toBe(200);

    const list = await request(server).get(
      '/api/data-products/registry/products',
    );
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].product.metadata.title).toBe('M360');

    expect((await request(server).delete(url)).status).toBe(204);
    expect(await schemaExists('marketing_360')).toBe(false);
    expect((await request(server).get(url)).status).toBe(404);
  });

  it('answers the change feed after a cursor, from the snapshot the product list reflects', async () => {
    const server = await start();
    const changes = (query: string) =>
      request(server).get(`/api/data-products/registry/changes?${query}`);

    expect((await changes('after=0')).body).toEqual({
      changes: [],
      items: [],
      cursor: 0,
      more: false,
      stale: false,
    });
    await request(server).put(url).send({ product, ports });
    const snapshot = await request(server).get(
      '/api/data-products/registry/products',
    );
    expect(snapshot.body.cursor).toBe(1);
    await request(server).delete(url);

    const page = await changes(`after=${snapshot.body.cursor}&limit=10`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      changes: [{ id: 2, name: 'marketing-customer-360', op: 'delete' }],
      items: [],
      cursor: 2,
      more: false,
      stale: false,
    });
    const first = await changes('after=0&limit=1');
    expect(first.body).toMatchObject({
      changes: [{ id: 1, op: 'upsert' }],
      cursor: 1,
      more: true,
    });
    // Unknown to this registry: read the whole registry again.
    expect((await changes('after=42')).body).toMatchObject({
      changes: [],
      cursor: 42,
      stale: true,
    });
  });

  it('answers 400 naming the value for a hostile cursor or limit', async () => {
    const server = await start();
    const cases: Array<[string, string]> = [
      ['', 'Missing after: give one whole number from 0 to 9007199254740991'],
      ['after=-1', 'Invalid after "-1": give one whole number from 0'],
      ['after=1.5', 'Invalid after "1.5"'],
      ['after=1e3', 'Invalid after "1e3"'],
      ['after=0x10', 'Invalid after "0x10"'],
      ['after=%201', 'Invalid after " 1"'],
      ['after=99999999999999999999', 'Invalid after "99999999999999999999"'],
      ['after=1&after=2', 'Invalid after ["1","2"]'],
      ['after[x]=1', 'Invalid after {"x":"1"}'],
      [
        'after=0&limit=0',
        'Invalid limit "0": give one whole number from 1 to 500',
      ],
      [
        'after=0&limit=501',
        'Invalid limit "501": give one whole number from 1 to 500',
      ],
      ['after=0&limit=', 'Invalid limit ""'],
      ['after=0&limit=ten', 'Invalid limit "ten"'],
    ];
    for (const [query, message] of cases) {
      const res = await request(server).get(
        `/api/data-products/registry/changes?${query}`,
      );
      expect({ query, status: res.status, name: res.body.error?.name }).toEqual(
        { query, status: 400, name: 'InputError' },
      );
      expect(res.body.error.message).toContain(message);
      expect(res.body.error.stack).toBeUndefined();
    }
  });

  it('keeps a product whose decommissioning the warehouse refuses', async () => {
    const server = await start();
    const { product: crmProduct, ports: crmPorts } = demoRequest(
      'sales-crm-customers',
    );
    const crm = { product: crmProduct, ports: crmPorts };
    const crmUrl = '/api/data-products/registry/products/sales-crm-customers';
    await request(server)
      .put(crmUrl)
      .send({ product: crm.product, ports: crm.ports });
    const res = await request(server).delete(crmUrl);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(
      "is still read by 'marketing-customer-360'",
    );
    expect((await request(server).get(crmUrl)).status).toBe(200);
    expect(await schemaExists('sales_crm')).toBe(true);
  });

  it('answers 400 naming the problem for bodies that are not valid products', async () => {
    const server = await start();
    const invalid = await request(server)
      .put(url)
      .send({
        product: {
          ...product,
          spec: { ...product.spec, schema: 'Bad Schema' },
        },
        ports,
      });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.name).toBe('InputError');
    expect(invalid.body.error.message).toContain('spec.schema');

    const nul = await request(server)
      .put(url)
      .send({
        product: {
          ...product,
          metadata: { ...product.metadata, description: 'a\u0000b' },
        },
        ports,
      });
    expect(nul.status).toBe(400);
    expect(nul.body.error.message).toBe(
      'Invalid data product "marketing-customer-360": product.metadata.description must not hold a NUL character (\\u0000)',
    );

    const notJson = await request(server)
      .put(url)
      .set('Content-Type', 'application/json')
      .send('{"product": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toMatch(
      /^The request body is not JSON \(.+\); send a JSON object \{ product, ports \}$/,
    );
    expect(notJson.body.error.stack).toBeUndefined();

    // Nested far deeper than any entity: refused, not a stack overflow.
    const deep = await request(server)
      .put(url)
      .set('Content-Type', 'application/json')
      .send(
        `{"product": {"metadata": {"x": ${'['.repeat(50_000)}${']'.repeat(
          50_000,
        )}}}, "ports": []}`,
      );
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toBe(
      'Invalid data product "marketing-customer-360": product.metadata.x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0] nests deeper than 32 levels; no entity field does',
    );

    const wrongTypes = await request(server)
      .put(url)
      .send({ product: [], ports: 'all' });
    expect(wrongTypes.status).toBe(400);
    expect(
      (await request(server).get('/api/data-products/registry/products')).body,
    ).toEqual({ items: [], cursor: 0 });
  });

  it('reads bodies up to its documented limit and answers 413 above it', async () => {
    const server = await start();
    const withDescription = (length: number) => ({
      product: {
        ...product,
        metadata: { ...product.metadata, description: 'x'.repeat(length) },
      },
      ports,
    });
    // Far above express's 100 kB default, within the registry's 1 MiB.
    const large = await request(server)
      .put(url)
      .send(withDescription(REGISTRY_BODY_LIMIT / 2));
    expect(large.status).toBe(201);

    const tooLarge = await request(server)
      .put(url)
      .send(withDescription(REGISTRY_BODY_LIMIT));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.message).toMatch(
      /^The request body has \d+ bytes; the registry reads at most 1048576 bytes \(1 MiB\) per request\. /,
    );
    const kept = await request(server).get(url);
    expect(kept.body.product.metadata.description).toHaveLength(
      REGISTRY_BODY_LIMIT / 2,
    );
  });

  it('registers a batch with POST /registry/products, all or nothing', async () => {
    const server = await start();
    const batchUrl = '/api/data-products/registry/products';
    const { product: crmProduct, ports: crmPorts } = demoRequest(
      'sales-crm-customers',
    );
    const crm = { product: crmProduct, ports: crmPorts };
    const ok = await request(server)
      .post(batchUrl)
      .send({ items: [{ product, ports }, crm] });
    expect(ok.status).toBe(200);
    expect(
      ok.body.items.map((r: any) => [
        r.created,
        r.item.product.metadata.name,
        r.item.status,
      ]),
    ).toEqual([
      [true, 'marketing-customer-360', 'provisioned'],
      [true, 'sales-crm-customers', 'provisioned'],
    ]);

    const notJson = await request(server)
      .post(batchUrl)
      .set('Content-Type', 'application/json')
      .send('{"items": [');
    expect(notJson.status).toBe(400);
    const duplicate = await request(server)
      .post(batchUrl)
      .send({ items: [crm, crm] });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error).toEqual({
      name: 'InputError',
      message:
        'Invalid batch of data products, nothing registered: items[1] registers "sales-crm-customers" again (as items[0] does); send each product once',
    });
    expect(duplicate.body.error.stack).toBeUndefined();
    const list = await request(server).get(batchUrl);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.cursor).toBe(2);
  });

  it('refuses unauthenticated requests', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/data-products/registry/products')
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(res.status).toBe(401);
  });

  it('refuses writes the permission policy denies, and changes nothing', async () => {
    const knex = await databases.init('POSTGRES_18');
    const allowed = await start({ knex });
    expect(
      (await request(allowed).put(url).send({ product, ports })).status,
    ).toBe(201);

    // A second replica on the same database whose policy denies everything.
    const denied = await start({
      knex,
      features: [
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    const put = await request(denied)
      .put(url)
      .send({
        product: { ...product, metadata: { ...product.metadata, title: 'X' } },
        ports,
      });
    expect(put.status).toBe(403);
    expect(put.body.error.message).toBe(
      'You are not allowed to update data product dataproduct:default/marketing-customer-360: permission dataproduct.update was denied. Ask a member of its owner group:default/marketing or a data product administrator.',
    );
    const del = await request(denied).delete(url);
    expect(del.status).toBe(403);
    expect(del.body.error.message).toContain(
      'permission dataproduct.decommission was denied',
    );
    expect(await schemaExists('marketing_360')).toBe(true);

    const kept = await request(allowed).get(url);
    expect(kept.status).toBe(200);
    expect(kept.body.product.metadata.title).toBe(product.metadata.title);
  });
});
