import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRegisterAction } from './register';

const product = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'sales-crm-customers' },
  spec: {
    type: 'source-aligned',
    lifecycle: 'production',
    owner: 'group:sales',
    schema: 'sales_crm',
  },
};
const port = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'OutputPort',
  metadata: { name: 'sales-crm-customers-customers' },
  spec: {
    dataProduct: 'sales-crm-customers',
    name: 'customers',
    type: 'postgres-table',
    columns: [{ name: 'id', type: 'INTEGER' }],
  },
};

const published = (entity: Entity, location: string): Entity => ({
  ...entity,
  metadata: {
    ...entity.metadata,
    namespace: DEFAULT_NAMESPACE,
    annotations: { 'backstage.io/managed-by-location': location },
  },
});

describe('dataproduct:register', () => {
  let server: Server;
  let baseUrl: string;
  let requests: { method: string; url: string; body: any }[];
  let registryStatus: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', chunk => {
        body += chunk;
      });
      req.on('end', () => {
        requests.push({
          method: req.method!,
          url: req.url!,
          body: body ? JSON.parse(body) : undefined,
        });
        if (registryStatus >= 400) {
          res.writeHead(registryStatus, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              error: { name: 'InputError', message: 'ports[0] is broken' },
              response: { statusCode: registryStatus },
            }),
          );
          return;
        }
        if (req.url!.includes('dryRun')) {
          res.writeHead(204);
          res.end();
          return;
        }
        // The registered product, as the registry answers a PUT.
        const { product: registered, ports: registeredPorts } =
          JSON.parse(body);
        res.writeHead(registryStatus, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            product: registered,
            ports: registeredPorts,
            status: 'provisioned',
            createdAt: '2026-01-02T03:04:05.000Z',
            updatedAt: '2026-01-02T03:04:05.000Z',
          }),
        );
      });
    });
    await new Promise<void>(resolve => server.listen(0, resolve));
    baseUrl = `http://localhost:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  beforeEach(() => {
    requests = [];
    registryStatus = 201;
  });

  function setup(entities: Entity[] = []) {
    const catalog = catalogServiceMock({ entities });
    const action = createRegisterAction({
      discovery: {
        getBaseUrl: async id => `${baseUrl}/${id}`,
        getExternalBaseUrl: async id => `${baseUrl}/${id}`,
      },
      auth: mockServices.auth(),
      catalog,
      pollIntervalMs: 10,
    });
    return { action, catalog };
  }

  it('registers the product and waits until the catalog shows its entities', async () => {
    const { action, catalog } = setup();
    // The entity provider publishes the product a moment after registration.
    const getEntitiesByRefs = catalog.getEntitiesByRefs.bind(catalog);
    let calls = 0;
    jest
      .spyOn(catalog, 'getEntitiesByRefs')
      .mockImplementation(async (request, opts) => {
        calls += 1;
        if (calls < 4) {
          return getEntitiesByRefs(request, opts);
        }
        return {
          items: [
            published(product, 'data-products-registry:sales-crm-customers'),
            published(port, 'data-products-registry:sales-crm-customers'),
          ],
        };
      });
    const ctx = createMockActionContext({
      input: { product, ports: [port] },
    });

    await action.handler(ctx as any);

    expect(requests).toEqual([
      {
        method: 'PUT',
        url: '/api/data-products/registry/products/sales-crm-customers',
        body: { product, ports: [port] },
      },
    ]);
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'dataproduct:default/sales-crm-customers',
    );
    expect(ctx.output).toHaveBeenCalledWith('portEntityRefs', [
      'outputport:default/sales-crm-customers-customers',
    ]);
  });

  it('only validates with validateOnly', async () => {
    const { action } = setup();
    const ctx = createMockActionContext({
      input: { product, ports: [port], validateOnly: true },
    });
    await action.handler(ctx as any);
    expect(requests.map(r => `${r.method} ${r.url}`)).toEqual([
      'PUT /api/data-products/registry/products/sales-crm-customers?dryRun=true',
    ]);
  });

  it('fails with the registry error when the product is invalid', async () => {
    registryStatus = 400;
    const { action } = setup();
    const ctx = createMockActionContext({
      input: { product, ports: [port] },
    });
    await expect(action.handler(ctx as any)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/ports\[0\] is broken/),
    });
  });

  it('fails with a ConflictError when the registry answers 409', async () => {
    registryStatus = 409;
    const { action } = setup();
    const ctx = createMockActionContext({
      input: { product, ports: [port] },
    });
    await expect(action.handler(ctx as any)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        /The data product registry refused sales-crm-customers/,
      ),
    });
  });

  it('fails with a NotAllowedError when the registry answers 403', async () => {
    registryStatus = 403;
    const { action } = setup();
    const ctx = createMockActionContext({
      input: { product, ports: [port] },
    });
    await expect(action.handler(ctx as any)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /The data product registry refused sales-crm-customers/,
      ),
    });
  });

  it('says it updated a product the registry already had', async () => {
    registryStatus = 200;
    const { action } = setup([
      published(product, 'data-products-registry:sales-crm-customers'),
      published(port, 'data-products-registry:sales-crm-customers'),
    ]);
    const ctx = createMockActionContext({
      input: { product, ports: [port] },
    });
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler(ctx as any);
    expect(info).toHaveBeenCalledWith(
      'Updated data product dataproduct:default/sales-crm-customers; waiting for the catalog to publish it',
    );
  });

  it('refuses a name the catalog already has from another location', async () => {
    const { action } = setup([
      published(product, 'file:/repo/fixtures/demo-data-products.yaml'),
    ]);
    const ctx = createMockActionContext({
      input: { product, ports: [port] },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      'Cannot register data product sales-crm-customers: the catalog already has dataproduct:default/sales-crm-customers from file:/repo/fixtures/demo-data-products.yaml',
    );
    expect(requests).toEqual([]);
  });

  it('fails when the catalog does not show the product in time', async () => {
    const { action } = setup();
    const ctx = createMockActionContext({
      input: { product, ports: [port], timeoutSeconds: 0.05 },
    });
    await expect(action.handler(ctx as any)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        /the catalog still does not show dataproduct:default\/sales-crm-customers, outputport:default\/sales-crm-customers-customers/,
      ),
    });
  });
});
