import { errorMessage } from '../lib/errors';
import { DataProductsClient } from './DataProductsClient';

function jsonResponse(status: number, body: unknown) {
  return {
    ok: status < 400,
    status,
    statusText: status === 503 ? 'Service Unavailable' : 'OK',
    headers: new Headers({ 'content-type': 'application/json' }),
    json: async () => body,
    text: async () => JSON.stringify(body),
  } as unknown as Response;
}

function clientWith(response: Response) {
  const fetch = jest.fn(async (_url: string) => response);
  const client = new DataProductsClient({
    // A plain discovery API: the test app's utilities take seconds to load.
    discoveryApi: {
      getBaseUrl: async (pluginId: string) =>
        `http://portal.test/api/${pluginId}`,
    },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch };
}

describe('DataProductsClient', () => {
  it('reads a product status from the product route', async () => {
    const { client, fetch } = clientWith(
      jsonResponse(200, { product: 'p', provisioned: true }),
    );
    await expect(
      client.getProductStatus('dataproduct:default/marketing-customer-360'),
    ).resolves.toEqual({ product: 'p', provisioned: true });
    expect(fetch).toHaveBeenCalledWith(
      'http://portal.test/api/data-products/products/default/marketing-customer-360/status',
    );
  });

  it('reads a port status from the port route', async () => {
    const { client, fetch } = clientWith(jsonResponse(200, { name: 'x' }));
    await client.getPortStatus('outputport:sales/sales-erp-orders-orders');
    expect(fetch).toHaveBeenCalledWith(
      'http://portal.test/api/data-products/ports/sales/sales-erp-orders-orders/status',
    );
  });

  it('asks for lineage with its depths, or for the whole mesh', async () => {
    const { client, fetch } = clientWith(
      jsonResponse(200, { nodes: [], edges: [], truncated: false }),
    );
    await client.getLineage({
      entityRef: 'dataproduct:default/a',
      upstream: 2,
      downstream: 0,
    });
    await client.getLineage({});
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      'http://portal.test/api/data-products/lineage?entityRef=dataproduct%3Adefault%2Fa&upstream=2&downstream=0',
      'http://portal.test/api/data-products/lineage',
    ]);
  });

  it('turns an error response into an error carrying the server message', async () => {
    const { client } = clientWith(
      jsonResponse(503, {
        error: {
          name: 'ServiceUnavailableError',
          message: 'The warehouse is unreachable: connect ECONNREFUSED',
        },
        response: { statusCode: 503 },
      }),
    );
    const error = await client
      .getProductStatus('dataproduct:default/a')
      .catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(503);
    expect(errorMessage(error)).toBe(
      'The warehouse is unreachable: connect ECONNREFUSED',
    );
  });

  it('posts a draft model to the check route and reads the inferred columns', async () => {
    const answer = { columns: [{ name: 'n', type: 'bigint' }], sql: 'SELECT' };
    const { client, fetch } = clientWith(jsonResponse(200, answer));
    const request = {
      product: { name: 'p', schema: 'p', inputs: ['outputport:default/o'] },
      port: 'q',
      model: 'SELECT 1 AS n',
    };
    await expect(client.checkModel(request)).resolves.toEqual(answer);
    expect(fetch).toHaveBeenCalledWith(
      'http://portal.test/api/data-products/models/check',
      expect.objectContaining({
        method: 'POST',
        body: JSON.stringify(request),
      }),
    );
  });
});
