import { ResponseError } from '@backstage/errors';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataProductEntityV1alpha1 } from '../DataProductEntityV1alpha1';
import type { OutputPortEntityV1alpha1 } from '../OutputPortEntityV1alpha1';
import { DataProductsRegistryClient } from './DataProductsRegistryClient';
import type { RegisteredDataProduct } from './types';

const product: DataProductEntityV1alpha1 = {
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
const port: OutputPortEntityV1alpha1 = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'OutputPort',
  metadata: { name: 'sales-crm-customers-customers' },
  spec: {
    dataProduct: 'sales-crm-customers',
    name: 'customers',
    type: 'postgres-table',
    source: 'sources.crm_customers',
    columns: [{ name: 'id', type: 'INTEGER' }],
  },
};
const item: RegisteredDataProduct = {
  product,
  ports: [port],
  status: 'provisioned',
  createdAt: '2026-01-02T03:04:05.678Z',
  updatedAt: '2026-01-02T03:04:05.678Z',
};

type Received = {
  method?: string;
  url?: string;
  authorization?: string;
  contentType?: string;
  body?: unknown;
};

describe('DataProductsRegistryClient', () => {
  let server: Server;
  let baseUrl: string;
  let received: Received;
  let answer: { status: number; body?: unknown };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', chunk => (text += chunk));
      req.on('end', () => {
        received = {
          method: req.method,
          url: req.url,
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'],
          body: text ? JSON.parse(text) : undefined,
        };
        if (answer.body === undefined) {
          res.writeHead(answer.status).end();
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>(resolve => server.listen(0, resolve));
    baseUrl = `http://localhost:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  const client = () =>
    new DataProductsRegistryClient({
      discoveryApi: { getBaseUrl: async pluginId => `${baseUrl}/${pluginId}` },
    });

  it('lists the registered products with the given token', async () => {
    answer = { status: 200, body: { items: [item] } };
    await expect(client().listProducts({ token: 'abc' })).resolves.toEqual([
      item,
    ]);
    expect(received).toMatchObject({
      method: 'GET',
      url: '/api/data-products/registry/products',
      authorization: 'Bearer abc',
    });
  });

  it('reads the snapshot with its cursor, and the changes after a cursor', async () => {
    answer = { status: 200, body: { items: [item], cursor: 7 } };
    await expect(client().getSnapshot({ token: 'abc' })).resolves.toEqual({
      items: [item],
      cursor: 7,
    });
    expect(received.url).toBe('/api/data-products/registry/products');

    const page = {
      changes: [
        {
          id: 8,
          name: 'sales-crm-customers',
          op: 'upsert',
          changedAt: '2026-01-02T03:04:05.678Z',
        },
      ],
      items: [item],
      cursor: 8,
      more: false,
      stale: false,
    };
    answer = { status: 200, body: page };
    await expect(
      client().getChanges({ after: 7, limit: 50 }, { token: 'abc' }),
    ).resolves.toEqual(page);
    expect(received).toMatchObject({
      method: 'GET',
      url: '/api/data-products/registry/changes?after=7&limit=50',
      authorization: 'Bearer abc',
    });
    await client().getChanges({ after: 0 });
    expect(received.url).toBe('/api/data-products/registry/changes?after=0');
  });

  it('sends no Authorization header without a token', async () => {
    answer = { status: 200, body: item };
    await expect(client().getProduct('sales-crm-customers')).resolves.toEqual(
      item,
    );
    expect(received.url).toBe(
      '/api/data-products/registry/products/sales-crm-customers',
    );
    expect(received.authorization).toBeUndefined();
  });

  it('tells a first registration from an update', async () => {
    answer = { status: 201, body: item };
    await expect(
      client().registerProduct({ product, ports: [port] }, { token: 't' }),
    ).resolves.toEqual({ created: true, item });
    expect(received).toMatchObject({
      method: 'PUT',
      url: '/api/data-products/registry/products/sales-crm-customers',
      contentType: 'application/json',
      body: { product, ports: [port] },
    });

    answer = { status: 200, body: item };
    await expect(
      client().registerProduct({ product, ports: [port] }),
    ).resolves.toEqual({ created: false, item });
    expect(received.body).toEqual({ product, ports: [port] });
  });

  it('registers a batch in one request', async () => {
    answer = { status: 200, body: { items: [{ created: true, item }] } };
    await expect(
      client().registerProducts(
        { items: [{ product, ports: [port] }] },
        { token: 't' },
      ),
    ).resolves.toEqual({ items: [{ created: true, item }] });
    expect(received).toMatchObject({
      method: 'POST',
      url: '/api/data-products/registry/products',
      authorization: 'Bearer t',
      contentType: 'application/json',
      body: { items: [{ product, ports: [port] }] },
    });
  });

  it('validates a registration as a dry run', async () => {
    answer = { status: 204 };
    await expect(
      client().validateProduct({ product, ports: [port] }),
    ).resolves.toBeUndefined();
    expect(received).toMatchObject({
      method: 'PUT',
      url: '/api/data-products/registry/products/sales-crm-customers?dryRun=true',
    });
  });

  it('removes a product', async () => {
    answer = { status: 204 };
    await expect(
      client().removeProduct('sales-crm-customers', { token: 't' }),
    ).resolves.toBeUndefined();
    expect(received).toMatchObject({
      method: 'DELETE',
      url: '/api/data-products/registry/products/sales-crm-customers',
    });
  });

  it("throws a ResponseError whose cause is the server's typed error", async () => {
    answer = {
      status: 409,
      body: {
        error: {
          name: 'ConflictError',
          message:
            'Data product sales-crm-customers still has consumers (marketing-360); remove them first',
        },
        request: { method: 'DELETE', url: '/registry/products/x' },
        response: { statusCode: 409 },
      },
    };
    const error = await client()
      .removeProduct('sales-crm-customers')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('still has consumers (marketing-360)'),
    });
  });

  it('sends requests through the given fetch', async () => {
    answer = { status: 200, body: { items: [] } };
    const fetchApi = {
      fetch: jest.fn((input: RequestInfo | URL, init?: RequestInit) =>
        fetch(input, init),
      ),
    };
    const withFetch = new DataProductsRegistryClient({
      discoveryApi: { getBaseUrl: async pluginId => `${baseUrl}/${pluginId}` },
      fetchApi,
    });
    await expect(withFetch.listProducts()).resolves.toEqual([]);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${baseUrl}/data-products/registry/products`,
      expect.objectContaining({ method: 'GET' }),
    );
  });
});
