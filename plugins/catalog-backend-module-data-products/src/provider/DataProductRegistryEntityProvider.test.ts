import { mockServices } from '@backstage/backend-test-utils';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import type {
  DataProductRegistryChange,
  RegisteredDataProduct,
} from '@dataproducts/plugin-data-products-common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataProductRegistryEntityProvider } from './DataProductRegistryEntityProvider';

function registered(
  name: string,
  portNames: string[],
  updatedAt = '2026-12-01T10:00:00.000Z',
): RegisteredDataProduct {
  return {
    product: {
      apiVersion: 'dataproducts.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name },
      spec: {
        type: 'source-aligned',
        lifecycle: 'production',
        owner: 'group:sales',
        schema: name.replace(/-/g, '_'),
      },
    },
    ports: portNames.map(port => ({
      apiVersion: 'dataproducts.io/v1alpha1',
      kind: 'OutputPort',
      metadata: { name: `${name}-${port}` },
      spec: {
        dataProduct: name,
        name: port,
        type: 'postgres-table',
        columns: [{ name: 'id', type: 'INTEGER' }],
      },
    })),
    status: 'provisioned',
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt,
  };
}

/**
 * A registry served over HTTP as the data-products backend serves it: the
 * products, a change feed that keeps changes from `oldest` on, and a switch
 * that makes it answer 503.
 */
class FakeRegistry {
  products = new Map<string, RegisteredDataProduct>();
  changes: DataProductRegistryChange[] = [];
  oldest = 1;
  down = false;
  requests: string[] = [];
  authorization?: string;

  put(item: RegisteredDataProduct) {
    this.products.set(item.product.metadata.name, item);
    this.record(item.product.metadata.name, 'upsert');
  }

  delete(name: string) {
    this.products.delete(name);
    this.record(name, 'delete');
  }

  private record(name: string, op: 'upsert' | 'delete') {
    const id = (this.changes[this.changes.length - 1]?.id ?? 0) + 1;
    this.changes.push({ id, name, op, changedAt: new Date().toISOString() });
  }

  get latest() {
    return this.changes[this.changes.length - 1]?.id ?? 0;
  }

  answer(url: URL): { status: number; body?: unknown } {
    if (this.down) {
      return { status: 503 };
    }
    if (url.pathname === '/api/data-products/registry/products') {
      return {
        status: 200,
        body: { items: [...this.products.values()], cursor: this.latest },
      };
    }
    if (url.pathname === '/api/data-products/registry/changes') {
      const after = Number(url.searchParams.get('after'));
      const limit = Number(url.searchParams.get('limit') ?? 100);
      if (after < this.oldest - 1 || after > this.latest) {
        return {
          status: 200,
          body: {
            changes: [],
            items: [],
            cursor: after,
            more: false,
            stale: true,
          },
        };
      }
      const after_ = this.changes.filter(c => c.id > after);
      const changes = after_.slice(0, limit);
      const names = new Set(
        changes.filter(c => c.op === 'upsert').map(c => c.name),
      );
      return {
        status: 200,
        body: {
          changes,
          items: [...names].flatMap(n => this.products.get(n) ?? []),
          cursor: changes.length ? changes[changes.length - 1].id : after,
          more: after_.length > limit,
          stale: false,
        },
      };
    }
    return { status: 404 };
  }
}

function published(mutation: EntityProviderMutation): string[] {
  const entities =
    mutation.type === 'full' ? mutation.entities : mutation.added;
  return entities.map(e => `${e.entity.kind}:${e.entity.metadata.name}`);
}

describe('DataProductRegistryEntityProvider', () => {
  let server: Server;
  let registry: FakeRegistry;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://localhost');
      registry.requests.push(`${url.pathname}${url.search}`);
      registry.authorization = req.headers.authorization;
      const { status, body } = registry.answer(url);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    });
    await new Promise<void>(resolve => server.listen(0, resolve));
    baseUrl = `http://localhost:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  beforeEach(() => {
    registry = new FakeRegistry();
  });

  function setup() {
    const events = mockServices.events();
    const provider = new DataProductRegistryEntityProvider({
      discovery: {
        getBaseUrl: async pluginId => `${baseUrl}/${pluginId}`,
        getExternalBaseUrl: async pluginId => `${baseUrl}/${pluginId}`,
      },
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      events,
    });
    const connection: jest.Mocked<EntityProviderConnection> = {
      applyMutation: jest.fn(),
      refresh: jest.fn(),
    };
    const mutations = () => connection.applyMutation.mock.calls.map(c => c[0]);
    return { provider, connection, events, mutations };
  }

  it('publishes every product complete at connect: annotated with its registry location, each port owned by its product owner', async () => {
    registry.put(registered('sales-crm-customers', ['customers']));
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    await provider.sync();

    expect(registry.authorization).toMatch(/^Bearer /);
    const [mutation] = mutations();
    expect(mutation.type).toBe('full');
    expect(published(mutation)).toEqual([
      'DataProduct:sales-crm-customers',
      'OutputPort:sales-crm-customers-customers',
    ]);
    const entities = mutation.type === 'full' ? mutation.entities : [];
    for (const deferred of entities) {
      expect(deferred.locationKey).toBe(
        'data-products-registry:sales-crm-customers',
      );
      expect(deferred.entity.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location':
          'data-products-registry:sales-crm-customers',
        'backstage.io/managed-by-origin-location':
          'data-products-registry:sales-crm-customers',
        'dataproducts.io/registry-status': 'provisioned',
      });
    }
    expect(entities[1].entity.spec?.owner).toBe('group:sales');
  });

  it('keeps a port’s own owner', async () => {
    const item = registered('sales-erp-orders', ['orders']);
    item.ports[0].spec.owner = 'group:finance';
    registry.put(item);
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    await provider.sync();
    const [mutation] = mutations();
    expect(
      mutation.type === 'full' && mutation.entities[1].entity.spec?.owner,
    ).toBe('group:finance');
  });

  it('applies a create, an update that drops a port and a delete as deltas, each on its event', async () => {
    registry.put(registered('sales-crm-customers', ['customers']));
    const { provider, connection, events, mutations } = setup();
    await provider.connect(connection);
    await provider.sync();
    const announce = async () => {
      const { id, name, op } = registry.changes[registry.changes.length - 1];
      await events.publish({
        topic: 'data-products.registry',
        eventPayload: { id, name, op },
      });
      await provider.sync();
    };

    registry.put(registered('sales-erp-orders', ['orders', 'lines']));
    await announce();
    expect(mutations()[1]).toEqual({
      type: 'delta',
      added: expect.any(Array),
      removed: [],
    });
    expect(published(mutations()[1])).toEqual([
      'DataProduct:sales-erp-orders',
      'OutputPort:sales-erp-orders-orders',
      'OutputPort:sales-erp-orders-lines',
    ]);

    registry.put(registered('sales-erp-orders', ['orders']));
    await announce();
    const update = mutations()[2];
    expect(published(update)).toEqual([
      'DataProduct:sales-erp-orders',
      'OutputPort:sales-erp-orders-orders',
    ]);
    expect(update.type === 'delta' && update.removed).toEqual([
      {
        entityRef: 'outputport:default/sales-erp-orders-lines',
        locationKey: 'data-products-registry:sales-erp-orders',
      },
    ]);

    registry.delete('sales-erp-orders');
    await announce();
    expect(mutations()[3]).toEqual({
      type: 'delta',
      added: [],
      removed: [
        {
          entityRef: 'dataproduct:default/sales-erp-orders',
          locationKey: 'data-products-registry:sales-erp-orders',
        },
        {
          entityRef: 'outputport:default/sales-erp-orders-orders',
          locationKey: 'data-products-registry:sales-erp-orders',
        },
      ],
    });
    // No full snapshot after the first.
    expect(
      registry.requests.filter(r =>
        r.startsWith('/api/data-products/registry/products'),
      ),
    ).toHaveLength(1);
  });

  it('reads nothing for an event it has already applied, and nothing changes without changes', async () => {
    registry.put(registered('sales-crm-customers', ['customers']));
    const { provider, connection, events, mutations } = setup();
    await provider.connect(connection);
    await provider.sync();
    const requests = registry.requests.length;
    await events.publish({
      topic: 'data-products.registry',
      eventPayload: { id: 1, name: 'sales-crm-customers', op: 'upsert' },
    });
    expect(registry.requests).toHaveLength(requests);
    await provider.sync();
    expect(mutations()).toHaveLength(1);
  });

  it('publishes a product registered again unchanged, so the catalog has it back after an Unregister', async () => {
    registry.put(registered('sales-crm-customers', ['customers']));
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    await provider.sync();
    registry.put(registered('sales-crm-customers', ['customers']));
    await provider.sync();
    expect(mutations()).toHaveLength(2);
    expect(published(mutations()[1])).toEqual(published(mutations()[0]));
  });

  it('loses nothing while the registry cannot be read: the cursor stays, and the changes arrive once it is back', async () => {
    registry.put(registered('sales-crm-customers', ['customers']));
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    await provider.sync();

    registry.put(registered('sales-erp-orders', ['orders']));
    registry.delete('sales-crm-customers');
    registry.down = true;
    await expect(provider.sync()).rejects.toThrow(/503/);
    await expect(provider.sync()).rejects.toThrow(/503/);
    expect(mutations()).toHaveLength(1);

    registry.down = false;
    await provider.sync();
    expect(mutations()).toHaveLength(2);
    const delta = mutations()[1];
    expect(published(delta)).toEqual([
      'DataProduct:sales-erp-orders',
      'OutputPort:sales-erp-orders-orders',
    ]);
    expect(
      delta.type === 'delta' &&
        delta.removed.map(r => 'entityRef' in r && r.entityRef),
    ).toEqual([
      'dataproduct:default/sales-crm-customers',
      'outputport:default/sales-crm-customers-customers',
    ]);
  });

  it('reads the changes page by page', async () => {
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    await provider.sync();
    for (let i = 0; i < 501; i++) {
      registry.put(registered(`product-${i}`, ['port']));
    }
    await provider.sync();
    expect(mutations().map(m => m.type)).toEqual(['full', 'delta', 'delta']);
    expect(
      mutations()
        .slice(1)
        .map(m => published(m).length),
    ).toEqual([1000, 2]);
  });

  it('publishes the whole registry again when its cursor is older than the oldest kept change', async () => {
    registry.put(registered('sales-crm-customers', ['customers']));
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    await provider.sync();

    registry.put(registered('sales-erp-orders', ['orders']));
    registry.delete('sales-crm-customers');
    registry.put(registered('logistics-wms-shipments', ['shipments']));
    // The registry pruned every change but the newest.
    registry.oldest = registry.latest;
    await provider.sync();

    const resync = mutations()[1];
    expect(resync.type).toBe('full');
    expect(published(resync).sort()).toEqual([
      'DataProduct:logistics-wms-shipments',
      'DataProduct:sales-erp-orders',
      'OutputPort:logistics-wms-shipments-shipments',
      'OutputPort:sales-erp-orders-orders',
    ]);

    // It continues from the snapshot's cursor.
    registry.delete('sales-erp-orders');
    await provider.sync();
    const delta = mutations()[2];
    expect(delta.type === 'delta' && delta.removed).toHaveLength(2);
  });
});
