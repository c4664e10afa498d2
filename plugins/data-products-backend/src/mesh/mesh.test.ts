import {
  type BackstageCredentials,
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  MeshGraph,
  MeshSearchResult,
} from '@dataproducts/plugin-data-products-common';
import {
  createWarehouseTestDatabases,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import Router from 'express-promise-router';
import type { Knex } from 'knex';
import request from 'supertest';
import { applyDatabaseMigrations } from '../database/migrations';
import { MeshIndex } from '../meshIndex/MeshIndex';
import { MeshFixture } from './__testUtils__/meshFixture';
import { createMeshRouter } from './createMeshRouter';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { MeshService } from './MeshService';

jest.setTimeout(120_000);

const SALES = 'domain:default/sales';
const MARKETING = 'domain:default/marketing';
const LOGISTICS = 'domain:default/logistics';
const NO_DOMAIN = 'mesh:no-domain';
const SOURCES = 'mesh:sources';
const product = (name: string) => `dataproduct:default/${name}`;

/** Lou may not read catalog entities; everyone else may. */
const RESTRICTED = 'user:default/lou.logistics';

/**
 * The permission decisions of a policy that denies Lou catalog reads. A
 * stand-in for the permission backend: in a running backend the question
 * reaches it as an on-behalf-of token whose actor is this plugin, which the
 * test backend's mock auth cannot issue (it would answer that a user may not
 * ask for a resource permission without a resourceRef).
 */
const catalogReadDecisions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => {
    const decide = (
      requests: Array<{ permission: { name: string } }>,
      options?: { credentials: BackstageCredentials },
    ) =>
      requests.map(item => {
        const principal = options?.credentials.principal as
          | { userEntityRef?: string }
          | undefined;
        return {
          result:
            item.permission.name === catalogEntityReadPermission.name &&
            principal?.userEntityRef === RESTRICTED
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        } as const;
      });
    return {
      authorize: async (requests, options) => decide(requests, options),
      authorizeConditional: async (requests, options) =>
        decide(requests, options),
    } as PermissionsService;
  },
});

/** The mesh routes as the data products plugin mounts them. */
const meshPlugin = createBackendPlugin({
  pluginId: 'data-products',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        database: coreServices.database,
        catalog: catalogServiceRef,
        permissions: coreServices.permissions,
      },
      async init({
        config,
        logger,
        httpAuth,
        httpRouter,
        database,
        catalog,
        permissions,
      }) {
        const knex = await database.getClient();
        const router = Router();
        router.use(
          createMeshRouter({
            httpAuth,
            mesh: new MeshService({ knex, catalog, permissions }),
          }),
        );
        router.use(
          MiddlewareFactory.create({ config, logger }).error({
            showStackTraces: false,
          }),
        );
        httpRouter.use(router);
      },
    });
  },
});

function entity(ref: string): Entity {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind === 'dataproduct' ? 'DataProduct' : 'Resource',
    metadata: { namespace, name },
    spec: {},
  };
}

/**
 * The mesh of the tests: Sales (s1, s2, s3), Marketing (m1, m2), Logistics
 * (l1), two products without a domain (n1, n2) and three source tables.
 */
function writeMesh(fixture: MeshFixture) {
  fixture.product('s1', 'sales', {
    title: 'Sales Customers',
    ports: ['a', 'b'],
  });
  fixture.product('s2', 'sales', { title: 'Sales Orders' });
  fixture.product('s3', 'sales', { title: 'Sales Returns' });
  fixture.product('m1', 'marketing', { title: 'Customer 360' });
  fixture.product('m2', 'marketing', { title: 'Campaign Reach' });
  fixture.product('l1', 'logistics', { title: 'Shipments' });
  fixture.product('n1', undefined, { title: 'Finance Report' });
  fixture.product('n2', undefined);
  for (const source of ['crm', 'erp', 'wms']) fixture.source(source);
  fixture.reads('crm', 's1');
  fixture.reads('erp', 's2');
  fixture.reads('wms', 'l1');
  fixture.feeds('s1', 's2', 'a');
  // Marketing reads both ports of s1, one of s2 and one of l1.
  fixture.feeds('s1', 'm1', 'a');
  fixture.feeds('s1', 'm1', 'b');
  fixture.feeds('s2', 'm1');
  fixture.feeds('l1', 'm1');
  fixture.feeds('m1', 'm2');
  fixture.feeds('m2', 'n1');
  fixture.feeds('s3', 'n2');
}

const VISIBLE_TO_LOU = [
  product('s1'),
  product('s2'),
  product('s3'),
  product('l1'),
  'resource:default/crm',
  'resource:default/erp',
  'resource:default/wms',
];

function summary(graph: MeshGraph) {
  return {
    nodes: Object.fromEntries(
      graph.nodes.map(n => [
        n.id,
        [
          n.kind,
          n.count ?? null,
          n.internalFlows ?? 0,
          ...(n.distance !== undefined ? [n.distance] : []),
          ...(n.partial ? ['partial'] : []),
        ],
      ]),
    ),
    edges: Object.fromEntries(
      graph.edges.map(e => [`${e.source} -> ${e.target}`, e.flows]),
    ),
  };
}

describe('GET /mesh', () => {
  const databases = createWarehouseTestDatabases();
  let knex: Knex;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    knex = await databases.init(warehouseTestDatabaseId());
    await applyDatabaseMigrations(knex);
    const fixture = new MeshFixture(knex);
    writeMesh(fixture);
    await fixture.save();
    backend = await startTestBackend({
      features: [
        createServiceFactory({
          service: coreServices.database,
          deps: {},
          factory: async () => ({ getClient: async () => knex }),
        }),
        catalogServiceMock.factory({ entities: VISIBLE_TO_LOU.map(entity) }),
        catalogReadDecisions,
        meshPlugin,
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  async function get(path: string, user = 'user:default/ana.sales') {
    return request(backend.server)
      .get(`/api/data-products${path}`)
      .set('Authorization', mockCredentials.user.header(user));
  }

  async function mesh(query = '', user?: string): Promise<MeshGraph> {
    const res = await get(`/mesh${query}`, user);
    expect({
      status: res.status,
      body: res.status === 200 ? undefined : res.body,
    }).toEqual({ status: 200, body: undefined });
    return res.body;
  }

  it('answers one node per domain with its products, and the flows between domains', async () => {
    const graph = await mesh();
    expect(summary(graph)).toEqual({
      nodes: {
        [SALES]: ['domain', 3, 1],
        [MARKETING]: ['domain', 2, 1],
        [LOGISTICS]: ['domain', 1, 0],
        [NO_DOMAIN]: ['domain', 2, 0],
        [SOURCES]: ['sources', 3, 0],
      },
      edges: {
        [`${SOURCES} -> ${SALES}`]: 2,
        [`${SOURCES} -> ${LOGISTICS}`]: 1,
        [`${SALES} -> ${MARKETING}`]: 3,
        [`${LOGISTICS} -> ${MARKETING}`]: 1,
        [`${MARKETING} -> ${NO_DOMAIN}`]: 1,
        [`${SALES} -> ${NO_DOMAIN}`]: 1,
      },
    });
    expect(graph.nodes.find(n => n.id === NO_DOMAIN)!.title).toBe('No domain');
    expect(graph.nodes.find(n => n.id === SALES)!.title).toBe('sales');
    expect(graph).toMatchObject({
      expanded: [],
      limit: 300,
      truncated: false,
      omittedEdges: 0,
    });
  });

  it('replaces an expanded domain by its products, with their flows to the other domains', async () => {
    const graph = await mesh(`?expand=${SALES}`);
    expect(summary(graph)).toEqual({
      nodes: {
        [MARKETING]: ['domain', 2, 1],
        [LOGISTICS]: ['domain', 1, 0],
        [NO_DOMAIN]: ['domain', 2, 0],
        [SOURCES]: ['sources', 3, 0],
        [product('s1')]: ['product', null, 0],
        [product('s2')]: ['product', null, 0],
        [product('s3')]: ['product', null, 0],
      },
      edges: {
        [`${SOURCES} -> ${product('s1')}`]: 1,
        [`${SOURCES} -> ${product('s2')}`]: 1,
        [`${SOURCES} -> ${LOGISTICS}`]: 1,
        [`${product('s1')} -> ${product('s2')}`]: 1,
        [`${product('s1')} -> ${MARKETING}`]: 2,
        [`${product('s2')} -> ${MARKETING}`]: 1,
        [`${LOGISTICS} -> ${MARKETING}`]: 1,
        [`${MARKETING} -> ${NO_DOMAIN}`]: 1,
        [`${product('s3')} -> ${NO_DOMAIN}`]: 1,
      },
    });
    expect(graph.nodes.find(n => n.id === product('s1'))).toMatchObject({
      title: 'Sales Customers',
      group: SALES,
      namespace: 'default',
      name: 's1',
      type: 'source-aligned',
    });
    expect(graph.expanded).toEqual([SALES]);
  });

  it('expands several groups, the no-domain group and the sources too', async () => {
    const graph = await mesh(
      `?expand=${SALES}&expand=${MARKETING}&expand=${NO_DOMAIN}&expand=${SOURCES}`,
    );
    const edges = summary(graph).edges;
    expect(edges[`${product('s1')} -> ${product('m1')}`]).toBe(2);
    expect(edges[`${product('m2')} -> ${product('n1')}`]).toBe(1);
    expect(edges['resource:default/crm -> dataproduct:default/s1']).toBe(1);
    expect(edges[`resource:default/wms -> ${LOGISTICS}`]).toBe(1);
    expect(graph.nodes.map(n => n.id)).toEqual(
      expect.arrayContaining([
        product('n2'),
        'resource:default/erp',
        LOGISTICS,
      ]),
    );
    expect(graph.nodes).toHaveLength(11);
  });

  it("answers a product's neighbourhood, aggregated by domain beyond what is expanded", async () => {
    const one = await mesh(`?focus=${product('m1')}&depth=1`);
    expect(summary(one)).toEqual({
      nodes: {
        [product('m1')]: ['product', null, 0, 0],
        [SALES]: ['domain', 2, 1],
        [LOGISTICS]: ['domain', 1, 0],
        [MARKETING]: ['domain', 1, 0],
      },
      edges: {
        [`${SALES} -> ${product('m1')}`]: 3,
        [`${LOGISTICS} -> ${product('m1')}`]: 1,
        [`${product('m1')} -> ${MARKETING}`]: 1,
      },
    });
    expect(one).toMatchObject({ focus: product('m1'), depth: 1 });

    const two = await mesh(`?focus=${product('m1')}&depth=2&expand=${SALES}`);
    expect(summary(two).nodes).toEqual({
      [product('m1')]: ['product', null, 0, 0],
      [product('s1')]: ['product', null, 0, -1],
      [product('s2')]: ['product', null, 0, -1],
      [SOURCES]: ['sources', 3, 0],
      [LOGISTICS]: ['domain', 1, 0],
      [MARKETING]: ['domain', 1, 0],
      [NO_DOMAIN]: ['domain', 1, 0],
    });
    // s3 is not within two hops of m1.
    expect(two.nodes.map(n => n.id)).not.toContain(product('s3'));
  });

  it('defaults to two hops, and a source can be the focus', async () => {
    const graph = await mesh(`?focus=${product('s2')}`);
    expect(graph.depth).toBe(2);
    const ids = graph.nodes.map(n => n.id);
    expect(ids).toEqual(
      expect.arrayContaining([product('s2'), MARKETING, SOURCES]),
    );
    const source = await mesh('?focus=resource:default/wms&depth=6');
    expect(summary(source).nodes).toMatchObject({
      'resource:default/wms': ['source', null, 0, 0],
      [LOGISTICS]: ['domain', 1, 0],
      [MARKETING]: ['domain', 2, 1],
      [NO_DOMAIN]: ['domain', 1, 0],
    });
  });

  it('cuts at the node limit, keeping a node for the rest of an expanded domain', async () => {
    const graph = await mesh(`?expand=${SALES}&limit=6`);
    expect(graph.truncated).toBe(true);
    expect(graph.nodes).toHaveLength(6);
    // The best connected product shows; the other two stay in Sales.
    expect(summary(graph).nodes).toMatchObject({
      [product('s1')]: ['product', null, 0],
      [SALES]: ['domain', 2, 0, 'partial'],
    });
    expect(summary(graph).edges[`${product('s1')} -> ${SALES}`]).toBe(1);
  });

  it('refuses hostile and out-of-range values, naming them and what is allowed', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        "?expand=domain:default/x'%3B%20drop%20table%20x",
        /Invalid expand 'domain:default\/x'; drop table x'.*domain ref/,
      ],
      ['?expand=component:default/x', /Invalid expand 'component:default\/x'/],
      ['?expand[a]=b', /expand/],
      [
        '?focus=component:default/x',
        /Invalid focus 'component:default\/x': give dataproduct or resource refs/,
      ],
      ['?focus=a&focus=b', /Give focus once/],
      [
        `?focus=${product('m1')}&depth=7`,
        /Invalid depth '7': give a whole number from 1 to 6/,
      ],
      [`?focus=${product('m1')}&depth=0`, /Invalid depth '0'/],
      [`?focus=${product('m1')}&depth=-1`, /Invalid depth '-1'/],
      [`?focus=${product('m1')}&depth=1e3`, /Invalid depth '1e3'/],
      ['?depth=2', /depth applies to a focus/],
      ['?limit=301', /Invalid limit '301': give a whole number from 1 to 300/],
      ['?limit=0', /Invalid limit '0'/],
      ['?entityRef=x', /Unknown query parameter 'entityRef'/],
      [
        `?${Array.from(
          { length: 51 },
          (_, i) => `expand=domain:default/d${i}`,
        ).join('&')}`,
        /Too many expand values \(51\): give at most 50/,
      ],
    ];
    for (const [query, message] of cases) {
      const res = await get(`/mesh${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.message).toMatch(message);
      expect(res.body.error.stack).toBeUndefined();
    }
    const missing = await get('/mesh?focus=dataproduct:default/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(
      /'dataproduct:default\/nowhere'/,
    );
    // The index is unchanged.
    expect(await knex('data_product_mesh_nodes').count({ n: '*' })).toEqual([
      { n: '20' },
    ]);
  });

  it('answers an unknown domain in expand as nothing to expand', async () => {
    const graph = await mesh('?expand=domain:default/nowhere');
    expect(graph.expanded).toEqual([]);
    expect(graph.nodes).toHaveLength(5);
  });

  it('shows a caller without catalog read only what the catalog lets them see', async () => {
    const graph = await mesh('', RESTRICTED);
    expect(summary(graph)).toEqual({
      nodes: {
        [SALES]: ['domain', 3, 1],
        [LOGISTICS]: ['domain', 1, 0],
        [SOURCES]: ['sources', 3, 0],
      },
      edges: {
        [`${SOURCES} -> ${SALES}`]: 2,
        [`${SOURCES} -> ${LOGISTICS}`]: 1,
      },
    });
    const hidden = await get(`/mesh?focus=${product('m1')}`, RESTRICTED);
    expect(hidden.status).toBe(404);
    const search: MeshSearchResult = (
      await get('/mesh/search?q=customer', RESTRICTED)
    ).body;
    expect(search.matches.map(m => m.id)).toEqual([product('s1')]);
  });

  // Last: it changes the mesh.
  it('answers a graph it kept until the index changes, then the changed one', async () => {
    const before = await mesh();
    expect(await mesh()).toEqual(before);
    // Logistics' only product leaves through the index's own write.
    const index = new MeshIndex(knex);
    await index.write(tx => index.remove([product('l1')], tx));
    const after = await mesh();
    expect(after.nodes.map(n => n.id)).not.toContain(LOGISTICS);
    expect(after.nodes.map(n => n.id)).toEqual(
      before.nodes.map(n => n.id).filter(id => id !== LOGISTICS),
    );
  });
});

describe('GET /mesh/search', () => {
  const databases = createWarehouseTestDatabases();
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    const knex = await databases.init(warehouseTestDatabaseId());
    await applyDatabaseMigrations(knex);
    const fixture = new MeshFixture(knex);
    writeMesh(fixture);
    fixture.product('zz_100%', 'sales');
    await fixture.save();
    backend = await startTestBackend({
      features: [
        createServiceFactory({
          service: coreServices.database,
          deps: {},
          factory: async () => ({ getClient: async () => knex }),
        }),
        catalogServiceMock.factory({ entities: [] }),
        meshPlugin,
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  async function search(query: string) {
    return request(backend.server).get(
      `/api/data-products/mesh/search${query}`,
    );
  }

  it('finds domains and products by name or title, best first', async () => {
    const res = await search('?q=sales');
    expect(res.status).toBe(200);
    expect(
      (res.body as MeshSearchResult).matches.map(m => [
        m.kind,
        m.id,
        m.title,
        m.count,
      ]),
    ).toEqual([
      ['domain', SALES, 'sales', 4],
      ['product', product('s1'), 'Sales Customers', undefined],
      ['product', product('s2'), 'Sales Orders', undefined],
      ['product', product('s3'), 'Sales Returns', undefined],
    ]);
    const one = await search('?q=REACH');
    expect(one.body.matches).toEqual([
      {
        id: product('m2'),
        kind: 'product',
        title: 'Campaign Reach',
        group: MARKETING,
        namespace: 'default',
        name: 'm2',
      },
    ]);
  });

  it('matches % and _ literally, and bounds the answer', async () => {
    expect(
      (await search('?q=%25')).body.matches.map((m: { id: string }) => m.id),
    ).toEqual([product('zz_100%')]);
    expect((await search('?q=_')).body.matches).toHaveLength(1);
    expect((await search('?q=s&limit=2')).body.matches).toHaveLength(2);
  });

  it('refuses empty, long and unknown parameters', async () => {
    for (const [query, message] of [
      ['', /Invalid q '': give 1 to 100 characters/],
      ['?q=%20%20', /Invalid q ''/],
      [`?q=${'x'.repeat(101)}`, /give 1 to 100 characters/],
      ['?q=a&limit=51', /Invalid limit '51': give a whole number from 1 to 50/],
      ['?q=a&q=b', /Give q once/],
      ['?q=a&expand=x', /Unknown query parameter 'expand'/],
    ] as const) {
      const res = await search(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.message).toMatch(message);
    }
  });
});

describe('GET /mesh at the node limit', () => {
  const databases = createWarehouseTestDatabases();
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    const knex = await databases.init(warehouseTestDatabaseId());
    await applyDatabaseMigrations(knex);
    const fixture = new MeshFixture(knex);
    for (let i = 0; i < 400; i++) {
      fixture.product(`big-${String(i).padStart(3, '0')}`, 'big', {
        ports: ['out', 'b'],
      });
      if (i > 0) fixture.feeds('big-000', `big-${String(i).padStart(3, '0')}`);
      // A chain through every product: more edges than a graph holds.
      if (i > 1) {
        fixture.feeds(
          `big-${String(i - 1).padStart(3, '0')}`,
          `big-${String(i).padStart(3, '0')}`,
          'b',
        );
      }
    }
    fixture.product('other', 'other');
    fixture.feeds('big-001', 'other');
    await fixture.save();
    backend = await startTestBackend({
      features: [
        createServiceFactory({
          service: coreServices.database,
          deps: {},
          factory: async () => ({ getClient: async () => knex }),
        }),
        catalogServiceMock.factory({ entities: [] }),
        meshPlugin,
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('answers at most 300 nodes and 400 edges, and says it cut', async () => {
    const res = await request(backend.server).get(
      '/api/data-products/mesh?expand=domain:default/big',
    );
    expect(res.status).toBe(200);
    const graph: MeshGraph = res.body;
    expect(graph.nodes).toHaveLength(300);
    expect(graph.truncated).toBe(true);
    const rest = graph.nodes.find(n => n.id === 'domain:default/big')!;
    expect(rest).toMatchObject({ partial: true, count: 102 });
    // The most connected product is among those shown.
    expect(graph.nodes.map(n => n.id)).toContain('dataproduct:default/big-000');
    // The heaviest edges are kept.
    expect(graph.edges.length).toBeLessThanOrEqual(400);
    expect(graph.omittedEdges).toBeGreaterThan(0);
    expect(
      graph.edges.find(
        e =>
          e.source === 'dataproduct:default/big-000' &&
          e.target === 'domain:default/big',
      ),
    ).toBeDefined();
    // Every edge joins two nodes of the answer.
    const ids = new Set(graph.nodes.map(n => n.id));
    expect(graph.edges.every(e => ids.has(e.source) && ids.has(e.target))).toBe(
      true,
    );

    const focused = await request(backend.server).get(
      '/api/data-products/mesh?focus=dataproduct:default/big-000&depth=1&expand=domain:default/big',
    );
    expect(focused.body.nodes.length).toBeLessThanOrEqual(300);
    expect(focused.body.nodes[0]).toBeDefined();
    expect(focused.body.nodes.map((n: { id: string }) => n.id)).toContain(
      'dataproduct:default/big-000',
    );
    expect(focused.body.truncated).toBe(true);
  });
});
