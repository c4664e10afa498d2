import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ExploreResponse } from '@dataproducts/plugin-data-products-common';
import {
  createWarehouseTestDatabases,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import express from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { applyDatabaseMigrations } from '../database/migrations';
import { insertMeshProducts, type TestProduct } from './__testUtils__/meshRows';
import { createExploreRouter } from './createExploreRouter';
import { ExploreService } from './ExploreService';
import { ExploreStore } from './ExploreStore';

jest.setTimeout(120_000);

const allow = mockServices.permissions();

function conditional(): PermissionsService {
  return {
    ...allow,
    authorizeConditional: async requests =>
      requests.map(() => ({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['group:default/sales'] },
        },
      })),
  } as PermissionsService;
}

function deny(): PermissionsService {
  return {
    ...allow,
    authorizeConditional: async requests =>
      requests.map(() => ({ result: AuthorizeResult.DENY })),
  } as PermissionsService;
}

const entity = (kind: string, name: string): Entity => ({
  apiVersion: 'dataproducts.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec: {},
});

describe('GET /explore', () => {
  const databases = createWarehouseTestDatabases();
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(warehouseTestDatabaseId());
    await applyDatabaseMigrations(knex);
  });

  beforeEach(async () => {
    await knex('data_product_mesh_edges').delete();
    await knex('data_product_mesh_nodes').delete();
  });

  function server(
    options: { permissions?: PermissionsService; entities?: Entity[] } = {},
  ) {
    const app = express();
    app.use(
      createExploreRouter({
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.user('user:default/ana'),
        }),
        explore: new ExploreService({
          store: new ExploreStore(knex),
          permissions: options.permissions ?? allow,
          catalog: catalogServiceMock({ entities: options.entities ?? [] }),
        }),
      }),
    );
    app.use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: mockServices.logger.mock(),
      }).error({ showStackTraces: false }),
    );
    return request(app);
  }

  async function explore(
    query: string,
    app = server(),
  ): Promise<ExploreResponse> {
    const res = await app.get(`/explore${query ? `?${query}` : ''}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Every page of a query, following the cursors. */
  async function allPages(query: string, limit: number) {
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await explore(
        [query, `limit=${limit}`, cursor && `cursor=${cursor}`]
          .filter(Boolean)
          .join('&'),
      );
      expect(page.items.length).toBeLessThanOrEqual(limit);
      names.push(...page.items.map(item => item.name));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    return names;
  }

  const demo: TestProduct[] = [
    {
      name: 'sales-crm-customers',
      title: 'Sales CRM Customers',
      description: 'Every customer of the CRM.',
      type: 'source-aligned',
      owner: 'group:default/sales',
      domain: 'domain:default/sales',
      tags: ['pii'],
      ports: [{ name: 'customers', columns: ['id', 'email'] }],
      readBy: ['marketing-customer-360'],
    },
    {
      name: 'sales-erp-orders',
      title: 'Sales ERP Orders',
      description: 'Orders, real-time; growth 50% a year.',
      type: 'source-aligned',
      owner: 'group:default/sales',
      domain: 'domain:default/sales',
      lifecycle: 'experimental',
      ports: [{ name: 'orders', type: 'postgres-view', columns: ['order_id'] }],
      readBy: ['marketing-customer-360', 'marketing-order-stats'],
    },
    {
      name: 'logistics-wms-shipments',
      title: 'Logistics WMS Shipments',
      description: 'Shipments, 500 a day.',
      type: 'source-aligned',
      owner: 'group:default/logistics',
      domain: 'domain:default/logistics',
      ports: [{ name: 'shipments', columns: ['delivery_status'] }],
      readBy: ['marketing-customer-360'],
    },
    {
      name: 'marketing-customer-360',
      title: 'Marketing Customer 360',
      description: 'A consolidated view of customer activity.',
      type: 'consumer-aligned',
      owner: 'group:default/marketing',
      domain: 'domain:default/marketing',
      tags: ['a_b'],
      ports: [
        { name: 'customer_activity', columns: ['customer_id', 'order_total'] },
        { name: 'segments' },
      ],
    },
    {
      name: 'marketing-order-stats',
      title: 'Marketing Order Stats',
      type: 'aggregate',
      owner: 'group:default/marketing',
      domain: 'domain:default/marketing',
      ports: [{ name: 'order_stats' }],
    },
  ];

  it('answers data products only, with their ports, consumers, total and facets', async () => {
    await insertMeshProducts(knex, demo);
    const page = await explore('');
    expect(page.totalCount).toBe(5);
    expect(page.nextCursor).toBeUndefined();
    expect(page.countsAreUpperBounds).toBe(false);
    expect(page.items.map(item => item.title)).toEqual([
      'Logistics WMS Shipments',
      'Marketing Customer 360',
      'Marketing Order Stats',
      'Sales CRM Customers',
      'Sales ERP Orders',
    ]);
    const c360 = page.items[1];
    expect(c360).toEqual({
      ref: 'dataproduct:default/marketing-customer-360',
      namespace: 'default',
      name: 'marketing-customer-360',
      title: 'Marketing Customer 360',
      description: 'A consolidated view of customer activity.',
      type: 'consumer-aligned',
      owner: 'group:default/marketing',
      domain: 'domain:default/marketing',
      lifecycle: 'production',
      tags: ['a_b'],
      ports: [
        {
          ref: 'outputport:default/marketing-customer-360-customer_activity',
          name: 'customer_activity',
          type: 'postgres-table',
        },
        {
          ref: 'outputport:default/marketing-customer-360-segments',
          name: 'segments',
          type: 'postgres-table',
        },
      ],
      consumers: 0,
    });
    expect(
      Object.fromEntries(page.items.map(item => [item.name, item.consumers])),
    ).toEqual({
      'logistics-wms-shipments': 1,
      'marketing-customer-360': 0,
      'marketing-order-stats': 0,
      'sales-crm-customers': 1,
      'sales-erp-orders': 2,
    });
    expect(page.facets).toEqual({
      domain: [
        { value: 'domain:default/marketing', count: 2 },
        { value: 'domain:default/sales', count: 2 },
        { value: 'domain:default/logistics', count: 1 },
      ],
      owner: [
        { value: 'group:default/marketing', count: 2 },
        { value: 'group:default/sales', count: 2 },
        { value: 'group:default/logistics', count: 1 },
      ],
      lifecycle: [
        { value: 'production', count: 4 },
        { value: 'experimental', count: 1 },
      ],
      type: [
        { value: 'source-aligned', count: 3 },
        { value: 'aggregate', count: 1 },
        { value: 'consumer-aligned', count: 1 },
      ],
    });
  });

  it('counts a product reading two of the same product’s ports once, and only products', async () => {
    await insertMeshProducts(knex, [
      { name: 'reader' },
      { name: 'other-reader' },
      {
        name: 'source',
        ports: [{ name: 'one' }, { name: 'two' }],
        readBy: ['reader', 'other-reader'],
      },
    ]);
    await knex('data_product_mesh_edges').insert({
      source: 'outputport:default/source-two',
      target: 'dataproduct:default/reader',
      type: 'feeds',
      declared_by: 'dataproduct:default/reader',
    });
    // A Component that reads a port is a reader, not a consuming product.
    await knex('data_product_mesh_edges').insert({
      source: 'outputport:default/source-one',
      target: 'component:default/dashboard',
      type: 'feeds',
      declared_by: 'component:default/dashboard',
    });
    const page = await explore('sort=consumers&order=desc&limit=1');
    expect(page.items.map(i => [i.name, i.consumers])).toEqual([['source', 2]]);
  });

  describe('search', () => {
    beforeEach(() => insertMeshProducts(knex, demo));

    it.each([
      ['a product name', 'sales-erp', ['sales-erp-orders']],
      ['a title, in any case', 'CUSTOMER 360', ['marketing-customer-360']],
      ['a description', 'consolidated', ['marketing-customer-360']],
      ['a tag', 'pii', ['sales-crm-customers']],
      ['a port name', 'order_stats', ['marketing-order-stats']],
      ['a column name', 'delivery_status', ['logistics-wms-shipments']],
      [
        'every word, anywhere',
        'marketing   ORDER',
        ['marketing-customer-360', 'marketing-order-stats'],
      ],
      ['% literally', '50%', ['sales-erp-orders']],
      ['_ literally', 'a_b', ['marketing-customer-360']],
      ['\\ literally', 'a\\b', []],
      ['nothing', 'no-such-thing', []],
    ])('finds %s', async (_what, q, names) => {
      const page = await explore(`q=${encodeURIComponent(q)}`);
      expect(page.items.map(item => item.name).sort()).toEqual(names);
      expect(page.totalCount).toBe(names.length);
    });
  });

  describe('filters and facets', () => {
    beforeEach(() => insertMeshProducts(knex, demo));

    it('keeps the products with any of a filter’s values, and all filters at once', async () => {
      const page = await explore(
        'domain=domain:default/sales&domain=domain:default/logistics&lifecycle=production',
      );
      expect(page.items.map(item => item.name)).toEqual([
        'logistics-wms-shipments',
        'sales-crm-customers',
      ]);
      expect(page.totalCount).toBe(2);
      // A filter does not narrow its own values; the others narrow it.
      expect(page.facets.domain).toEqual([
        { value: 'domain:default/marketing', count: 2 },
        { value: 'domain:default/logistics', count: 1 },
        { value: 'domain:default/sales', count: 1 },
      ]);
      expect(page.facets.lifecycle).toEqual([
        { value: 'production', count: 2 },
        { value: 'experimental', count: 1 },
      ]);
      expect(page.facets.owner).toEqual([
        { value: 'group:default/logistics', count: 1 },
        { value: 'group:default/sales', count: 1 },
      ]);
    });

    it('narrows the facets by the search', async () => {
      const page = await explore('q=customer&type=consumer-aligned');
      expect(page.items.map(item => item.name)).toEqual([
        'marketing-customer-360',
      ]);
      expect(page.facets.type).toEqual([
        { value: 'consumer-aligned', count: 1 },
        { value: 'source-aligned', count: 1 },
      ]);
      expect(page.facets.domain).toEqual([
        { value: 'domain:default/marketing', count: 1 },
      ]);
    });

    it('takes domain and owner refs in any case, as the index keeps them lowercased', async () => {
      const page = await explore('owner=Group:default/Logistics');
      expect(page.items.map(item => item.name)).toEqual([
        'logistics-wms-shipments',
      ]);
    });

    it('matches nothing for a value no product has', async () => {
      const page = await explore('owner=group:default/nobody');
      expect(page.items).toEqual([]);
      expect(page.totalCount).toBe(0);
    });
  });

  describe('pagination and sorting', () => {
    // 23 products whose titles, domains and owners tie in groups.
    const many: TestProduct[] = Array.from({ length: 23 }, (_, i) => ({
      name: `product-${String(i).padStart(2, '0')}`,
      title: ['alpha', 'beta', 'gamma'][i % 3],
      domain: `domain:default/${['north', 'south'][i % 2]}`,
      owner: `group:default/${['blue', 'green', 'red', 'white'][i % 4]}`,
      lifecycle: ['production', 'experimental'][i % 2],
      type: ['aggregate', 'source-aligned', 'consumer-aligned'][i % 3],
      ports: [{ name: 'out' }],
      readBy: Array.from({ length: i % 5 }, (__, j) => `reader-${j}`),
    }));
    const everyName = many.map(p => p.name).sort();

    beforeEach(() => insertMeshProducts(knex, many));

    it.each(
      ['name', 'domain', 'owner', 'lifecycle', 'type', 'consumers'].flatMap(
        sort => [
          [sort, 'asc'],
          [sort, 'desc'],
        ],
      ),
    )(
      'by %s %s, gives every row exactly once over all pages, in order',
      async (sort, order) => {
        const query = `sort=${sort}&order=${order}`;
        const whole = await explore(`${query}&limit=200`);
        expect(whole.items.map(i => i.name).sort()).toEqual(everyName);
        const key = (item: ExploreResponse['items'][number]) =>
          sort === 'name'
            ? item.title!
            : (item[sort as keyof typeof item] as string | number);
        const keys = whole.items.map(key);
        const sorted = [...keys].sort((a, b) =>
          typeof a === 'number'
            ? (a as number) - (b as number)
            : String(a).localeCompare(String(b)),
        );
        expect(keys).toEqual(order === 'asc' ? sorted : sorted.reverse());
        // Ties keep the order of the refs, in the sort's direction.
        const tiesOutOfOrder = whole.items.filter((item, i) => {
          const before = whole.items[i - 1];
          if (i === 0 || keys[i] !== keys[i - 1]) return false;
          return order === 'asc'
            ? before.ref > item.ref
            : before.ref < item.ref;
        });
        expect(tiesOutOfOrder).toEqual([]);
        for (const limit of [1, 4, 7]) {
          expect(await allPages(query, limit)).toEqual(
            whole.items.map(i => i.name),
          );
        }
      },
    );

    it('continues after its cursor when products arrive before and after it', async () => {
      const first = await explore('limit=10');
      const seen = first.items.map(i => i.name);
      // An 'alpha' sorts before the cursor, a 'zeta' after it.
      await insertMeshProducts(knex, [
        { name: 'product-new-early', title: 'alpha' },
        { name: 'product-new-late', title: 'zeta' },
      ]);
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await explore(`limit=10&cursor=${cursor}`);
        seen.push(...page.items.map(i => i.name));
        cursor = page.nextCursor;
      }
      expect(seen.filter(name => !name.startsWith('product-new'))).toEqual(
        (await explore('limit=200')).items
          .map(i => i.name)
          .filter(name => !name.startsWith('product-new')),
      );
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toContain('product-new-late');
      expect(seen).not.toContain('product-new-early');
    });

    it('gives 50 rows unless asked, and up to 200', async () => {
      await insertMeshProducts(
        knex,
        Array.from({ length: 230 }, (_, i) => ({ name: `bulk-${i}` })),
      );
      expect((await explore('')).items).toHaveLength(50);
      const max = await explore('limit=200');
      expect(max.items).toHaveLength(200);
      expect(max.totalCount).toBe(253);
    });
  });

  describe('hostile input', () => {
    it.each([
      [
        'limit=0',
        /Invalid limit "0": give a whole number of rows from 1 to 200/,
      ],
      ['limit=100000', /Invalid limit "100000"/],
      ['limit=-1', /Invalid limit "-1"/],
      ['limit=1e2', /Invalid limit "1e2"/],
      ['sort=price', /Invalid sort "price": use one of name, domain, owner/],
      ['sort=name;DROP', /Invalid sort "name;DROP"/],
      ['order=up', /Invalid order "up": use one of asc, desc/],
      ['q=a&q=b', /Give q once/],
      ['q[a]=b', /Give q once/],
      [`q=${'x'.repeat(201)}`, /q has 201 characters; give at most 200/],
      [
        Array.from({ length: 51 }, (_, i) => `domain=d${i}`).join('&'),
        /domain names 51 values; give at most 50/,
      ],
      ['owner=', /Invalid owner "": give a value of 1 to 300 characters/],
      ['page=2&foo=1', /Unknown query parameters "page", "foo": use q, domain/],
      ['cursor=', /Invalid cursor ""/],
      ['cursor=not%20base64', /Invalid cursor "not base64"/],
      [
        `cursor=${Buffer.from('{"a":1}').toString('base64url')}`,
        /it is not one this server made/,
      ],
    ])('refuses %s, naming the value', async (query, message) => {
      const res = await server().get(`/explore?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
    });

    it('refuses a tampered cursor and a cursor of another query', async () => {
      await insertMeshProducts(
        knex,
        Array.from({ length: 5 }, (_, i) => ({ name: `p-${i}` })),
      );
      const { nextCursor } = await explore('limit=2');
      const decoded = JSON.parse(
        Buffer.from(nextCursor!, 'base64url').toString(),
      );
      const tampered = Buffer.from(
        JSON.stringify([decoded[0], { $gt: 1 }, decoded[2]]),
      ).toString('base64url');
      const bad = await server().get(`/explore?limit=2&cursor=${tampered}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/not one this server made/);
      const other = await server().get(
        `/explore?limit=2&sort=owner&cursor=${nextCursor}`,
      );
      expect(other.status).toBe(400);
      expect(other.body.error.message).toMatch(
        /belongs to another search, filter or sort/,
      );
      expect(
        (await server().get(`/explore?limit=2&cursor=${nextCursor}`)).status,
      ).toBe(200);
    });
  });

  describe('visibility', () => {
    beforeEach(() => insertMeshProducts(knex, demo));

    it('drops the products and ports the catalog does not show a caller the policy limits', async () => {
      const app = server({
        permissions: conditional(),
        entities: [
          entity('DataProduct', 'sales-crm-customers'),
          entity('OutputPort', 'sales-crm-customers-customers'),
          entity('DataProduct', 'marketing-customer-360'),
          entity('OutputPort', 'marketing-customer-360-segments'),
        ],
      });
      const page = await explore('', app);
      expect(page.items.map(item => item.name)).toEqual([
        'marketing-customer-360',
        'sales-crm-customers',
      ]);
      expect(page.items[0].ports.map(port => port.name)).toEqual(['segments']);
      expect(page.countsAreUpperBounds).toBe(true);
      expect(page.totalCount).toBe(5);
    });

    it('answers nothing to a caller the policy denies', async () => {
      const page = await explore('', server({ permissions: deny() }));
      expect(page).toEqual({
        items: [],
        totalCount: 0,
        facets: { domain: [], owner: [], lifecycle: [], type: [] },
        countsAreUpperBounds: false,
      });
    });
  });
});
