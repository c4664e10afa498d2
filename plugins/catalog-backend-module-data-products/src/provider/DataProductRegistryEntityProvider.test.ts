import { mockServices } from '@backstage/backend-test-utils';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataProductRegistryEntityProvider } from './DataProductRegistryEntityProvider';

const item = {
  product: {
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'sales-crm-customers' },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:sales',
      schema: 'sales_crm',
    },
  },
  ports: [
    {
      apiVersion: 'dataproducts.io/v1alpha1',
      kind: 'OutputPort',
      metadata: { name: 'sales-crm-customers-customers' },
      spec: {
        dataProduct: 'sales-crm-customers',
        name: 'customers',
        type: 'postgres-table',
        columns: [{ name: 'id', type: 'INTEGER' }],
      },
    },
  ],
  status: 'provisioned',
};

describe('DataProductRegistryEntityProvider', () => {
  let server: Server;
  let registry: { status: number; items: unknown[] };
  let authorization: string | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      authorization = req.headers.authorization;
      if (req.url !== '/api/data-products/registry/products') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(registry.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: registry.items }));
    });
    await new Promise<void>(resolve => server.listen(0, resolve));
    baseUrl = `http://localhost:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  function setup() {
    const provider = new DataProductRegistryEntityProvider({
      discovery: {
        getBaseUrl: async pluginId => `${baseUrl}/${pluginId}`,
        getExternalBaseUrl: async pluginId => `${baseUrl}/${pluginId}`,
      },
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    const connection: jest.Mocked<EntityProviderConnection> = {
      applyMutation: jest.fn(),
      refresh: jest.fn(),
    };
    return { provider, connection };
  }

  it('publishes each product and its ports, annotated with their registry location', async () => {
    registry = { status: 200, items: [item] };
    const { provider, connection } = setup();
    await provider.connect(connection);
    await provider.refresh();

    expect(authorization).toMatch(/^Bearer /);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    const entities = mutation.type === 'full' ? mutation.entities : [];
    expect(
      entities.map(e => `${e.entity.kind}:${e.entity.metadata.name}`),
    ).toEqual([
      'DataProduct:sales-crm-customers',
      'OutputPort:sales-crm-customers-customers',
    ]);
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
  });

  it('applies a mutation only when the registry changed', async () => {
    registry = { status: 200, items: [item] };
    const { provider, connection } = setup();
    await provider.connect(connection);
    await provider.refresh();
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    registry = { status: 200, items: [] };
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
    expect(connection.applyMutation).toHaveBeenLastCalledWith({
      type: 'full',
      entities: [],
    });
  });

  it('publishes again when a product is registered again unchanged, so the catalog has it back after an Unregister', async () => {
    registry = {
      status: 200,
      items: [{ ...item, updatedAt: '2026-12-01T10:00:00.000Z' }],
    };
    const { provider, connection } = setup();
    await provider.connect(connection);
    await provider.refresh();
    // Someone unregisters the entities in the catalog, then runs the
    // template again: the registry stores the same product once more.
    registry = {
      status: 200,
      items: [{ ...item, updatedAt: '2026-12-01T10:05:00.000Z' }],
    };
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
    expect(connection.applyMutation.mock.calls[1][0]).toEqual(
      connection.applyMutation.mock.calls[0][0],
    );
  });

  it('keeps the published entities when the registry cannot be read', async () => {
    registry = { status: 200, items: [item] };
    const { provider, connection } = setup();
    await provider.connect(connection);
    await provider.refresh();

    registry = { status: 503, items: [] };
    await expect(provider.refresh()).rejects.toThrow(/503/);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });
});
