import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Lineage } from '@dataproducts/plugin-data-products-common';
import { createWarehouseTestDatabases } from '@dataproducts/plugin-data-products-node/testUtils';
import {
  ChangingCatalog,
  meshIndexOver,
  meshTestDatabase,
  port,
  product,
} from '../../meshIndex/__testUtils__/meshTestSetup';
import { demoCatalog } from '../../testUtils/demoCatalog';
import { CatalogLineageWalk } from './CatalogLineageWalk';
import { LineageService } from './LineageService';

jest.setTimeout(120_000);

const credentials = mockCredentials.user();

/** A lineage in a stable order, to compare two answers. */
function sorted(lineage: Lineage) {
  return {
    root: lineage.root,
    truncated: lineage.truncated,
    nodes: [...lineage.nodes]
      .map(({ owner: _owner, ...node }) => node)
      .sort((a, b) => a.id.localeCompare(b.id)),
    edges: [...lineage.edges]
      .map(e => `${e.source} -${e.type}-> ${e.target}`)
      .sort(),
  };
}

/**
 * A mesh of 40 products over 4 sources, each reading one to three ports of
 * earlier products (a fixed pseudo-random choice), so that paths of
 * different lengths meet.
 */
function generatedMesh(): Entity[] {
  const entities: Entity[] = [];
  for (let s = 0; s < 4; s++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: `src-${s}` },
      spec: { type: 'postgres-table', owner: 'group:sales' },
    });
  }
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  const ports: string[] = [];
  for (let p = 0; p < 40; p++) {
    const name = `p${p}`;
    const inputs = new Set<string>();
    if (p < 6 || random(5) === 0) inputs.add(`resource:src-${random(4)}`);
    const count = p < 6 ? 0 : 1 + random(3);
    for (let i = 0; i < count; i++) {
      inputs.add(`outputport:${ports[random(ports.length)]}`);
    }
    entities.push(product(name, { inputs: [...inputs] }));
    for (let q = 0; q < 1 + (p % 2); q++) {
      const entity = port(name, `out_${q}`);
      entities.push(entity);
      ports.push(entity.metadata.name);
    }
  }
  return entities;
}

async function setUp(
  databases: ReturnType<typeof createWarehouseTestDatabases>,
  entities: Entity[],
  options: { permissions?: PermissionsService; catalog?: CatalogService } = {},
) {
  const knex = await meshTestDatabase(databases);
  const catalog = options.catalog ?? new ChangingCatalog(entities).service;
  const { index, sync } = meshIndexOver(knex, catalog);
  await sync.reconcile();
  const service = new LineageService({
    index,
    catalog,
    permissions: options.permissions ?? mockServices.permissions(),
  });
  const walk = new CatalogLineageWalk({ catalog });
  return { knex, index, sync, service, walk, catalog };
}

describe('LineageService', () => {
  const databases = createWarehouseTestDatabases();

  it('reaches the three source tables upstream of Marketing Customer 360', async () => {
    const { service } = await setUp(databases, demoCatalog());
    const lineage = await service.getLineage({
      entityRef: 'dataproduct:default/marketing-customer-360',
      upstream: 5,
      downstream: 5,
      credentials,
    });
    expect(lineage.nodes.map(n => n.id).sort()).toEqual([
      'dataproduct:default/logistics-wms-shipments',
      'dataproduct:default/marketing-customer-360',
      'dataproduct:default/sales-crm-customers',
      'dataproduct:default/sales-erp-orders',
      'outputport:default/logistics-wms-shipments-shipments',
      'outputport:default/marketing-customer-360-customer-activity',
      'outputport:default/sales-crm-customers-customers',
      'outputport:default/sales-erp-orders-orders',
      'resource:default/crm-customers',
      'resource:default/erp-orders',
      'resource:default/wms-shipments',
    ]);
    expect(lineage.edges).toContainEqual({
      source: 'resource:default/crm-customers',
      target: 'dataproduct:default/sales-crm-customers',
      type: 'feeds',
    });
    expect(lineage.edges).toContainEqual({
      source: 'dataproduct:default/marketing-customer-360',
      target: 'outputport:default/marketing-customer-360-customer-activity',
      type: 'exposes',
    });
    expect(lineage.edges).toHaveLength(10);
    const node = (id: string) => lineage.nodes.find(n => n.id === id);
    expect(node('outputport:default/sales-crm-customers-customers')).toEqual({
      id: 'outputport:default/sales-crm-customers-customers',
      kind: 'OutputPort',
      namespace: 'default',
      name: 'sales-crm-customers-customers',
      title: 'customers',
      type: 'postgres-table',
      // The product's owner, as the catalog relates a port without its own.
      owner: 'group:default/sales',
      distance: -1,
    });
    expect(node('resource:default/crm-customers')?.distance).toBe(-2);
    expect(
      node('outputport:default/marketing-customer-360-customer-activity')
        ?.distance,
    ).toBe(0);
    expect(lineage.root).toBe('dataproduct:default/marketing-customer-360');
    expect(lineage.truncated).toBe(false);
  });

  it('answers as the catalog walk does, for every entity and depth of the demo', async () => {
    const entities = demoCatalog();
    const { service, walk } = await setUp(databases, entities);
    for (const entity of entities) {
      const rootRef = stringifyEntityRef(entity);
      for (const [upstream, downstream] of [
        [0, 0],
        [1, 1],
        [2, 0],
        [0, 2],
        [5, 5],
      ]) {
        const request = { upstream, downstream, credentials };
        expect({
          rootRef,
          ...sorted(
            await service.getLineage({ ...request, entityRef: rootRef }),
          ),
        }).toEqual({
          rootRef,
          ...sorted(await walk.lineage({ ...request, rootRef })),
        });
      }
    }
  });

  it('answers as the catalog walk does on a mesh where paths of different lengths meet, read at once or level by level', async () => {
    const entities = generatedMesh();
    const {
      service: atOnce,
      walk,
      index,
      catalog,
    } = await setUp(databases, entities);
    const levelByLevel = new LineageService({
      index,
      catalog,
      permissions: mockServices.permissions(),
      maxReachedRows: 1,
    });
    let compared = 0;
    for (const [service, entity] of entities
      .filter((_, i) => i % 3 === 0)
      .flatMap(e => [[atOnce, e] as const, [levelByLevel, e] as const])) {
      const rootRef = stringifyEntityRef(entity);
      for (const [upstream, downstream] of [
        [1, 1],
        [3, 2],
        [25, 25],
      ]) {
        const request = { upstream, downstream, credentials };
        expect({
          rootRef,
          upstream,
          downstream,
          ...sorted(
            await service.getLineage({ ...request, entityRef: rootRef }),
          ),
        }).toEqual({
          rootRef,
          upstream,
          downstream,
          ...sorted(await walk.lineage({ ...request, rootRef })),
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('serves a hub (one source read by 120 products) with every consumer', async () => {
    const entities = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'src' },
        spec: { type: 'postgres-table', owner: 'group:sales' },
      },
      ...Array.from({ length: 120 }, (_, i) => [
        product(`p${i}`, { inputs: ['resource:src'] }),
        port(`p${i}`, 'out'),
      ]).flat(),
    ];
    const { service, walk } = await setUp(databases, entities);
    const request = { upstream: 1, downstream: 3, credentials };
    const lineage = await service.getLineage({
      ...request,
      entityRef: 'resource:default/src',
    });
    expect(lineage.nodes).toHaveLength(241);
    expect(lineage.edges).toHaveLength(240);
    expect(sorted(lineage)).toEqual(
      sorted(
        await walk.lineage({ ...request, rootRef: 'resource:default/src' }),
      ),
    );
  });

  it('stops at the requested depth', async () => {
    // p0 <- p1 <- ... <- p29: each product reads the port of the one before.
    const entities = Array.from({ length: 30 }, (_, i) => [
      product(`p${i}`, i === 0 ? {} : { inputs: [`outputport:p${i - 1}-out`] }),
      port(`p${i}`, 'out'),
    ]).flat();
    const { service } = await setUp(databases, entities);
    const lineage = await service.getLineage({
      entityRef: 'dataproduct:default/p29',
      upstream: 25,
      downstream: 0,
      credentials,
    });
    const distances = lineage.nodes.map(n => n.distance);
    expect(Math.min(...distances)).toBe(-25);
    expect(lineage.nodes.map(n => n.id)).not.toContain(
      'dataproduct:default/p3',
    );
    expect(lineage.nodes.map(n => n.id)).toContain('dataproduct:default/p4');
    const none = await service.getLineage({
      entityRef: 'dataproduct:default/p29',
      upstream: 0,
      downstream: 0,
      credentials,
    });
    expect(none.nodes.map(n => n.id).sort()).toEqual([
      'dataproduct:default/p29',
      'outputport:default/p29-out',
    ]);
  });

  it('does not show a caller the entities the catalog hides from them', async () => {
    const hidden = new Set([
      'outputport:default/sales-erp-orders-orders',
      'resource:default/crm-customers',
    ]);
    const guest = mockCredentials.user('user:default/guest');
    const isGuest = (c: BackstageCredentials) =>
      (c.principal as { userEntityRef?: string }).userEntityRef ===
      'user:default/guest';
    const full = new ChangingCatalog(demoCatalog()).service;
    const visibleTo = (c: BackstageCredentials) => (entity?: Entity) =>
      entity && isGuest(c) && hidden.has(stringifyEntityRef(entity))
        ? undefined
        : entity;
    const catalog: CatalogService = {
      ...full,
      getEntitiesByRefs: async (request, options) => {
        const { items } = await full.getEntitiesByRefs(request, options);
        return { items: items.map(visibleTo(options.credentials)) };
      },
      getEntities: async (request, options) => {
        const { items } = await full.getEntities(request, options);
        return {
          items: items.filter(e => visibleTo(options.credentials)(e)),
        };
      },
    } as CatalogService;
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async (requests, options) =>
        requests.map(() =>
          isGuest(options!.credentials)
            ? {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'catalog',
                resourceType: 'catalog-entity',
                conditions: {
                  rule: 'IS_ENTITY_OWNER',
                  resourceType: 'catalog-entity',
                  params: {},
                },
              }
            : { result: AuthorizeResult.ALLOW },
        ) as any,
    });
    const { service, walk } = await setUp(databases, [], {
      catalog,
      permissions,
    });
    const request = {
      entityRef: 'dataproduct:default/marketing-customer-360',
      upstream: 5,
      downstream: 5,
    };
    const seen = await service.getLineage({ ...request, credentials: guest });
    const ids = seen.nodes.map(n => n.id);
    expect(ids).not.toContain('outputport:default/sales-erp-orders-orders');
    expect(ids).not.toContain('resource:default/crm-customers');
    // Nor what is reached only through the orders port.
    expect(ids).not.toContain('dataproduct:default/sales-erp-orders');
    expect(ids).toContain('dataproduct:default/sales-crm-customers');
    expect(
      seen.edges.filter(
        e =>
          e.source === 'resource:default/crm-customers' ||
          e.target === 'outputport:default/sales-erp-orders-orders',
      ),
    ).toEqual([]);
    expect(sorted(seen)).toEqual(
      sorted(
        await walk.lineage({
          rootRef: request.entityRef,
          upstream: 5,
          downstream: 5,
          credentials: guest,
        }),
      ),
    );
    // Another user sees the whole graph.
    const all = await service.getLineage({ ...request, credentials });
    expect(all.nodes).toHaveLength(11);

    await expect(
      service.getLineage({
        ...request,
        entityRef: 'resource:default/crm-customers',
        credentials: guest,
      }),
    ).rejects.toThrow(
      "No entity 'resource:default/crm-customers' in the catalog",
    );
    const mesh = await service.getLineage({
      upstream: 0,
      downstream: 0,
      credentials: guest,
    });
    expect(mesh.nodes.map(n => n.id)).not.toContain(
      'resource:default/crm-customers',
    );
    expect(mesh.nodes).toHaveLength(9);
  });

  it('walks the catalog until the index was first built, and for an entity it does not hold yet', async () => {
    const knex = await meshTestDatabase(databases);
    const entities = demoCatalog();
    const changing = new ChangingCatalog(entities);
    const { index, sync } = meshIndexOver(knex, changing.service);
    const catalog = changing.service;
    const getEntitiesByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
    const service = new LineageService({
      index,
      catalog,
      permissions: mockServices.permissions(),
    });
    const request = {
      entityRef: 'dataproduct:default/marketing-customer-360',
      upstream: 5,
      downstream: 5,
      credentials,
    };
    const before = await service.getLineage(request);
    expect(before.nodes).toHaveLength(11);
    expect(getEntitiesByRefs).toHaveBeenCalled();

    await sync.reconcile();
    getEntitiesByRefs.mockClear();
    expect(sorted(await service.getLineage(request))).toEqual(sorted(before));
    // Served from the index alone.
    expect(getEntitiesByRefs).not.toHaveBeenCalled();

    // A product added to the catalog since the last reconcile.
    changing.set([
      ...entities,
      product('marketing-email-list', {
        inputs: ['outputport:sales-crm-customers-customers'],
      }),
    ]);
    const fresh = await service.getLineage({
      ...request,
      entityRef: 'dataproduct:default/marketing-email-list',
    });
    expect(fresh.nodes.map(n => n.id)).toContain(
      'outputport:default/sales-crm-customers-customers',
    );
  });

  it('returns the whole mesh without an entityRef', async () => {
    const { service } = await setUp(databases, demoCatalog());
    const lineage = await service.getLineage({
      upstream: 0,
      downstream: 0,
      credentials,
    });
    expect(lineage.root).toBeUndefined();
    expect(lineage.nodes).toHaveLength(11);
    expect(lineage.edges).toHaveLength(10);
    expect(lineage.truncated).toBe(false);
  });

  it('refuses a bad depth or entity ref, naming it, and reports a missing entity', async () => {
    const { service } = await setUp(databases, demoCatalog());
    await expect(
      service.getLineage({
        entityRef: 'dataproduct:default/nope',
        upstream: 1,
        downstream: 1,
        credentials,
      }),
    ).rejects.toThrow("No entity 'dataproduct:default/nope' in the catalog");
    await expect(
      service.getLineage({
        entityRef: 'dataproduct:default/nope',
        upstream: 99,
        downstream: 1,
        credentials,
      }),
    ).rejects.toThrow(/Invalid upstream depth '99'/);
    await expect(
      service.getLineage({
        entityRef: 'dataproduct:default/marketing-customer-360',
        upstream: 1,
        downstream: -1,
        credentials,
      }),
    ).rejects.toThrow(/Invalid downstream depth '-1'/);
    // The root may be of any kind, so it has no default one.
    await expect(
      service.getLineage({
        entityRef: 'marketing-customer-360',
        upstream: 1,
        downstream: 1,
        credentials,
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        "Invalid entityRef 'marketing-customer-360': expected kind:namespace/name, e.g. dataproduct:default/marketing-customer-360",
    });
  });
});
