import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION,
  type MeshNodeSummary,
} from '@dataproducts/plugin-data-products-common';
import { createWarehouseTestDatabases } from '@dataproducts/plugin-data-products-node/testUtils';
import { demoCatalog, readEntities } from '../testUtils/demoCatalog';
import {
  ChangingCatalog,
  indexRows,
  meshIndexOver,
  meshTestDatabase,
  port,
  product,
  register,
} from './__testUtils__/meshTestSetup';
import { keepMeshIndexCurrent } from './keepMeshIndexCurrent';
import { MeshIndex } from './MeshIndex';
import { MeshIndexSync } from './MeshIndexSync';

jest.setTimeout(60_000);

const REGISTRY_TOPIC = 'data-products.registry';

const sources = () => readEntities('catalog-info/resources.yaml');

/** A registry product reading the CRM customers port, with two ports. */
function emailList() {
  return {
    product: product(
      'marketing-email-list',
      {
        type: 'consumer-aligned',
        owner: 'group:marketing',
        domain: 'marketing',
        inputs: ['outputport:sales-crm-customers-customers'],
      },
      { title: 'Marketing Email List', tags: ['email'] },
    ),
    ports: [
      port('marketing-email-list', 'recipients', [
        { name: 'email', description: 'Where to send the newsletter.' },
      ]),
      port('marketing-email-list', 'bounces'),
    ],
  };
}

describe('MeshIndexSync', () => {
  const databases = createWarehouseTestDatabases();

  it('indexes the products, ports and sources of the catalog with their edges', async () => {
    const knex = await meshTestDatabase(databases);
    const { sync } = meshIndexOver(
      knex,
      new ChangingCatalog(demoCatalog()).service,
    );
    await sync.reconcile();
    const { nodes, edges } = await indexRows(knex);
    expect(nodes.map(n => `${n.kind} ${n.ref} ${n.origin}`)).toEqual([
      'DataProduct dataproduct:default/logistics-wms-shipments catalog',
      'DataProduct dataproduct:default/marketing-customer-360 catalog',
      'DataProduct dataproduct:default/sales-crm-customers catalog',
      'DataProduct dataproduct:default/sales-erp-orders catalog',
      'OutputPort outputport:default/logistics-wms-shipments-shipments catalog',
      'OutputPort outputport:default/marketing-customer-360-customer-activity catalog',
      'OutputPort outputport:default/sales-crm-customers-customers catalog',
      'OutputPort outputport:default/sales-erp-orders-orders catalog',
      'Resource resource:default/crm-customers catalog',
      'Resource resource:default/erp-orders catalog',
      'Resource resource:default/wms-shipments catalog',
    ]);
    const byRef = new Map(nodes.map(n => [n.ref, n]));

    const m360 = byRef.get('dataproduct:default/marketing-customer-360');
    expect(m360).toMatchObject({
      namespace: 'default',
      name: 'marketing-customer-360',
      title: 'Marketing Customer 360',
      type: 'consumer-aligned',
      owner: 'group:default/marketing',
      domain: 'domain:default/marketing',
      product: null,
      lifecycle: 'production',
    });
    const summary: MeshNodeSummary = JSON.parse(m360.summary);
    expect(summary).toEqual({
      tags: ['customers', 'marketing'],
      ports: [
        {
          ref: 'outputport:default/marketing-customer-360-customer-activity',
          name: 'customer_activity',
          title: 'customer_activity',
          type: 'postgres-table',
          columns: [
            'customer_id',
            'customer_name',
            'customer_email',
            'account_age_days',
            'order_id',
            'order_total',
            'days_from_order_to_ship',
            'delivery_status',
          ],
        },
      ],
    });
    // Names, title, tags, owner, domain, the port's and its columns' names
    // and descriptions, all lowercased.
    for (const word of [
      'marketing-customer-360',
      'marketing customer 360',
      'customers',
      'group:default/marketing',
      'domain:default/marketing',
      'customer_activity',
      'days_from_order_to_ship',
    ]) {
      expect(m360.search).toContain(word);
    }
    expect(m360.search).toBe(m360.search.toLocaleLowerCase('en-US'));

    // A port takes its product's domain, lifecycle and (having none) owner.
    expect(
      byRef.get('outputport:default/sales-erp-orders-orders'),
    ).toMatchObject({
      name: 'sales-erp-orders-orders',
      title: 'orders',
      type: 'postgres-view',
      owner: 'group:default/sales',
      domain: 'domain:default/sales',
      product: 'dataproduct:default/sales-erp-orders',
      lifecycle: 'production',
    });
    expect(
      byRef.get('outputport:default/sales-erp-orders-orders').search,
    ).toContain('total_amount');
    expect(byRef.get('resource:default/erp-orders')).toMatchObject({
      title: 'sources.erp_orders',
      type: 'postgres-table',
      owner: 'group:default/sales',
      summary: JSON.stringify({ tags: ['postgres', 'operational'] }),
    });

    expect(
      edges.map(
        e => `${e.source} -${e.type}-> ${e.target} by ${e.declared_by}`,
      ),
    ).toEqual([
      'dataproduct:default/logistics-wms-shipments -exposes-> outputport:default/logistics-wms-shipments-shipments by dataproduct:default/logistics-wms-shipments',
      'dataproduct:default/marketing-customer-360 -exposes-> outputport:default/marketing-customer-360-customer-activity by dataproduct:default/marketing-customer-360',
      'dataproduct:default/sales-crm-customers -exposes-> outputport:default/sales-crm-customers-customers by dataproduct:default/sales-crm-customers',
      'dataproduct:default/sales-erp-orders -exposes-> outputport:default/sales-erp-orders-orders by dataproduct:default/sales-erp-orders',
      'outputport:default/logistics-wms-shipments-shipments -feeds-> dataproduct:default/marketing-customer-360 by dataproduct:default/marketing-customer-360',
      'outputport:default/sales-crm-customers-customers -feeds-> dataproduct:default/marketing-customer-360 by dataproduct:default/marketing-customer-360',
      'outputport:default/sales-erp-orders-orders -feeds-> dataproduct:default/marketing-customer-360 by dataproduct:default/marketing-customer-360',
      'resource:default/crm-customers -feeds-> dataproduct:default/sales-crm-customers by dataproduct:default/sales-crm-customers',
      'resource:default/erp-orders -feeds-> dataproduct:default/sales-erp-orders by dataproduct:default/sales-erp-orders',
      'resource:default/wms-shipments -feeds-> dataproduct:default/logistics-wms-shipments by dataproduct:default/logistics-wms-shipments',
    ]);
  });

  it('indexes a registry product, and follows its update and removal', async () => {
    const knex = await meshTestDatabase(databases);
    const { sync } = meshIndexOver(
      knex,
      new ChangingCatalog(demoCatalog()).service,
    );
    await sync.reconcile();
    const { product: list, ports } = emailList();
    await register(knex, list, ports, 'not-provisioned');
    await sync.indexRegistryProduct('marketing-email-list');

    let { nodes, edges } = await indexRows(knex);
    const listNode = nodes.find(
      n => n.ref === 'dataproduct:default/marketing-email-list',
    );
    expect(listNode).toMatchObject({
      origin: 'registry',
      title: 'Marketing Email List',
    });
    expect(JSON.parse(listNode.summary)).toMatchObject({
      tags: ['email'],
      registryStatus: 'not-provisioned',
      ports: [
        { name: 'recipients', columns: ['email'] },
        { name: 'bounces', columns: ['id'] },
      ],
    });
    expect(listNode.search).toContain('where to send the newsletter.');
    const declared = (by: string) =>
      edges
        .filter(e => e.declared_by === by)
        .map(e => `${e.source} -${e.type}-> ${e.target}`);
    expect(declared('dataproduct:default/marketing-email-list')).toEqual([
      'dataproduct:default/marketing-email-list -exposes-> outputport:default/marketing-email-list-bounces',
      'dataproduct:default/marketing-email-list -exposes-> outputport:default/marketing-email-list-recipients',
      'outputport:default/sales-crm-customers-customers -feeds-> dataproduct:default/marketing-email-list',
    ]);

    // The update drops a port and reads orders (and a new source) instead.
    await register(
      knex,
      {
        ...list,
        spec: {
          ...list.spec,
          inputs: [
            'outputport:sales-erp-orders-orders',
            'resource:wms-shipments',
          ],
        },
      },
      [ports[0]],
    );
    await sync.indexRegistryProduct('marketing-email-list');
    ({ nodes, edges } = await indexRows(knex));
    expect(nodes.filter(n => n.origin === 'registry').map(n => n.ref)).toEqual([
      'dataproduct:default/marketing-email-list',
      'outputport:default/marketing-email-list-recipients',
    ]);
    expect(declared('dataproduct:default/marketing-email-list')).toEqual([
      'dataproduct:default/marketing-email-list -exposes-> outputport:default/marketing-email-list-recipients',
      'outputport:default/sales-erp-orders-orders -feeds-> dataproduct:default/marketing-email-list',
      'resource:default/wms-shipments -feeds-> dataproduct:default/marketing-email-list',
    ]);
    // Other products' edges are untouched.
    expect(edges).toHaveLength(10 + 3);

    await knex('data_product_registry')
      .where({ name: 'marketing-email-list' })
      .delete();
    await sync.indexRegistryProduct('marketing-email-list');
    ({ nodes, edges } = await indexRows(knex));
    expect(nodes.filter(n => n.origin === 'registry')).toEqual([]);
    expect(declared('dataproduct:default/marketing-email-list')).toEqual([]);
    expect(edges).toHaveLength(10);
  });

  it('indexes many registry products in one step: added, updated and removed together', async () => {
    const knex = await meshTestDatabase(databases);
    const { sync } = meshIndexOver(
      knex,
      new ChangingCatalog(demoCatalog()).service,
    );
    await sync.reconcile();
    const { product: list, ports } = emailList();
    const copy = (name: string) => ({
      product: { ...list, metadata: { ...list.metadata, name } },
      ports: ports.map(listPort => ({
        ...listPort,
        metadata: {
          ...listPort.metadata,
          name: listPort.metadata.name.replace('marketing-email-list', name),
        },
        spec: { ...listPort.spec, dataProduct: name },
      })),
    });
    for (const name of ['list-a', 'list-b', 'list-c']) {
      const { product: itsProduct, ports: itsPorts } = copy(name);
      await register(knex, itsProduct, itsPorts, 'not-provisioned');
    }
    await sync.indexRegistryProducts(['list-a', 'list-b', 'list-c']);
    let { nodes } = await indexRows(knex);
    const registryRefs = () =>
      nodes
        .filter(n => n.origin === 'registry')
        .map(n => n.ref)
        .sort();
    expect(registryRefs()).toEqual([
      'dataproduct:default/list-a',
      'dataproduct:default/list-b',
      'dataproduct:default/list-c',
      'outputport:default/list-a-bounces',
      'outputport:default/list-a-recipients',
      'outputport:default/list-b-bounces',
      'outputport:default/list-b-recipients',
      'outputport:default/list-c-bounces',
      'outputport:default/list-c-recipients',
    ]);

    // b drops a port, c is removed, a is unchanged: one step.
    const b = copy('list-b');
    await register(knex, b.product, [b.ports[0]], 'not-provisioned');
    await knex('data_product_registry').where({ name: 'list-c' }).delete();
    await sync.indexRegistryProducts(['list-a', 'list-b', 'list-c']);
    ({ nodes } = await indexRows(knex));
    expect(registryRefs()).toEqual([
      'dataproduct:default/list-a',
      'dataproduct:default/list-b',
      'outputport:default/list-a-bounces',
      'outputport:default/list-a-recipients',
      'outputport:default/list-b-recipients',
    ]);
  });

  it('reconciles catalog changes and keeps the same rows over a restart', async () => {
    const knex = await meshTestDatabase(databases);
    const catalog = new ChangingCatalog(demoCatalog());
    const first = meshIndexOver(knex, catalog.service);
    const { product: list, ports } = emailList();
    await register(knex, list, ports);
    await first.sync.reconcile();

    // Marketing Customer 360 no longer reads shipments; Logistics WMS
    // Shipments (and its port) leave the catalog.
    const changed = [
      ...sources(),
      ...readEntities('fixtures/demo-data-products.yaml'),
    ]
      .filter(e => !e.metadata.name.startsWith('logistics-wms-shipments'))
      .map(
        (e): Entity =>
          e.metadata.name === 'marketing-customer-360'
            ? {
                ...e,
                spec: {
                  ...e.spec,
                  inputs: [
                    'outputport:sales-crm-customers-customers',
                    'outputport:sales-erp-orders-orders',
                  ],
                },
              }
            : e,
      );
    catalog.set(changed);
    const summary = await first.sync.reconcile();
    expect(summary.removed).toBe(3);
    const after = await indexRows(knex);
    expect(after.nodes.map(n => n.ref)).not.toContain(
      'dataproduct:default/logistics-wms-shipments',
    );
    expect(after.nodes.map(n => n.ref)).not.toContain(
      'resource:default/wms-shipments',
    );
    expect(
      after.edges.filter(
        e => e.target === 'dataproduct:default/marketing-customer-360',
      ),
    ).toHaveLength(2);
    expect(after.nodes.filter(n => n.origin === 'registry')).toHaveLength(3);

    // A restart: a new index over the same database, reconciled, holds the
    // same rows, not even rewritten.
    const restarted = meshIndexOver(knex, catalog.service);
    await restarted.sync.reconcile();
    expect(await indexRows(knex)).toEqual(after);
    expect(await restarted.index.isBuilt()).toBe(true);
  });

  it('lets the registry win over a catalog entity of the same name, and skips registry entities of the catalog', async () => {
    const knex = await meshTestDatabase(databases);
    const { product: list, ports } = emailList();
    const annotated = (e: Entity): Entity => ({
      ...e,
      metadata: {
        ...e.metadata,
        annotations: {
          [DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION]: 'provisioned',
        },
      },
    });
    // The registry's ports as the catalog publishes them, and a file's
    // product that claims the registry product's name.
    const { sync } = meshIndexOver(
      knex,
      new ChangingCatalog([
        ...demoCatalog(),
        { ...list, metadata: { ...list.metadata, title: 'From a file' } },
        ...ports.map(annotated),
      ]).service,
    );
    await register(knex, list, ports);
    await sync.reconcile();
    await sync.reconcile();
    const { nodes } = await indexRows(knex);
    expect(
      nodes
        .filter(n => n.ref.includes('marketing-email-list'))
        .map(n => `${n.origin} ${n.title}`),
    ).toEqual([
      'registry Marketing Email List',
      'registry null',
      'registry null',
    ]);
  });

  it('re-indexes a registry product when the registry announces a change', async () => {
    const knex = await meshTestDatabase(databases);
    const { sync } = meshIndexOver(
      knex,
      new ChangingCatalog(demoCatalog()).service,
    );
    const events = mockServices.events();
    const scheduler = mockServices.scheduler.mock();
    const queue = await keepMeshIndexCurrent({
      sync,
      events,
      scheduler,
      schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
      lifecycle: mockServices.lifecycle.mock(),
      logger: mockServices.logger.mock(),
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'data-products-mesh-index-reconcile',
        scope: 'global',
      }),
    );
    const { product: list, ports } = emailList();
    await register(knex, list, ports);
    await events.publish({
      topic: REGISTRY_TOPIC,
      eventPayload: { id: 1, name: 'marketing-email-list', op: 'upsert' },
    });
    // Indexed in the background: the publisher does not wait for it.
    await queue.idle();
    expect(
      (await indexRows(knex)).nodes.filter(n => n.origin === 'registry'),
    ).toHaveLength(3);

    await knex('data_product_registry').delete();
    await events.publish({
      topic: REGISTRY_TOPIC,
      eventPayload: { id: 2, name: 'marketing-email-list', op: 'delete' },
    });
    await queue.idle();
    expect(
      (await indexRows(knex)).nodes.filter(n => n.origin === 'registry'),
    ).toHaveLength(0);
  });

  it('reads the registry and the catalog page by page to the same index', async () => {
    const rowsAfterReconcile = async (pageSize?: number) => {
      const knex = await meshTestDatabase(databases);
      for (let i = 0; i < 5; i++) {
        await register(
          knex,
          product(`registered-${i}`, {
            inputs: ['outputport:sales-crm-customers-customers'],
          }),
          [port(`registered-${i}`, 'out')],
        );
      }
      const index = new MeshIndex(knex);
      const sync = new MeshIndexSync({
        index,
        catalog: new ChangingCatalog(demoCatalog()).service,
        auth: mockServices.auth(),
        pageSize,
      });
      await sync.reconcile();
      const { nodes, edges } = await indexRows(knex);
      return {
        nodes: nodes.map(({ updated_at: _updatedAt, ...node }) => node),
        edges,
      };
    };
    const inPagesOfTwo = await rowsAfterReconcile(2);
    expect(inPagesOfTwo.nodes).toHaveLength(11 + 10);
    expect(inPagesOfTwo).toEqual(await rowsAfterReconcile());
  });

  it('skips a reconcile when neither the registry nor an entity it reads changed, and runs it again when one did', async () => {
    const knex = await meshTestDatabase(databases);
    // As the real catalog serves them: every entity with an etag.
    const withEtags = (entities: Entity[], changed?: string) =>
      entities.map(e => ({
        ...e,
        metadata: {
          ...e.metadata,
          etag:
            e.metadata.name === changed ? 'changed' : `etag-${e.metadata.name}`,
        },
      }));
    const catalog = new ChangingCatalog(withEtags(demoCatalog()));
    const { sync } = meshIndexOver(knex, catalog.service);
    const { product: list, ports } = emailList();
    await register(knex, list, ports);
    expect((await sync.reconcile()).unchanged).toBeUndefined();
    const built = await indexRows(knex);
    // The sources the index now holds are compared too: once more, then
    // nothing to do.
    await sync.reconcile();
    expect(await sync.reconcile()).toMatchObject({ unchanged: true });
    expect(await sync.reconcile()).toMatchObject({ unchanged: true });

    // A source the index holds changed in the catalog.
    const source = built.nodes.find(
      n => n.origin === 'catalog' && n.kind === 'Resource',
    );
    expect(source).toBeDefined();
    catalog.set(withEtags(demoCatalog(), source!.name));
    expect((await sync.reconcile()).unchanged).toBeUndefined();
    await sync.reconcile();
    expect(await sync.reconcile()).toMatchObject({ unchanged: true });

    // Removed from the registry with no event and no change row.
    await knex('data_product_registry').delete();
    expect((await sync.reconcile()).unchanged).toBeUndefined();
    expect(
      (await indexRows(knex)).nodes.filter(n => n.origin === 'registry'),
    ).toEqual([]);
    expect(built.nodes.filter(n => n.origin === 'registry')).toHaveLength(3);
  });

  it('heals a registry change whose event was lost with the next reconcile', async () => {
    const knex = await meshTestDatabase(databases);
    const { sync } = meshIndexOver(
      knex,
      new ChangingCatalog(demoCatalog()).service,
    );
    const { product: list, ports } = emailList();
    await register(knex, list, ports);
    await sync.reconcile();
    // Removed from the registry, with no event (a crash before it).
    await knex('data_product_registry').delete();
    await sync.reconcile();
    const { nodes, edges } = await indexRows(knex);
    expect(nodes.filter(n => n.origin === 'registry')).toEqual([]);
    expect(edges).toHaveLength(10);
  });
});
