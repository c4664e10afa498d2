import { DataProductsExplorerClient } from './DataProductsExplorerClient';

function jsonResponse(status: number, body: unknown) {
  return {
    ok: status < 400,
    status,
    statusText: status === 400 ? 'Bad Request' : 'OK',
    headers: new Headers({ 'content-type': 'application/json' }),
    json: async () => body,
    text: async () => JSON.stringify(body),
  } as unknown as Response;
}

function clientWith(response: Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => response);
  const client = new DataProductsExplorerClient({
    // A plain discovery API: the test app's utilities take seconds to load.
    discoveryApi: {
      getBaseUrl: async (pluginId: string) =>
        `http://portal.test/api/${pluginId}`,
    },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch };
}

describe('DataProductsExplorerClient', () => {
  it('asks /explore with each filter value repeated and the cursor as given', async () => {
    const page = { items: [], totalCount: 0, facets: {} };
    const { client, fetch } = clientWith(jsonResponse(200, page));
    await expect(
      client.explore({
        q: '50% off',
        domain: ['domain:default/sales', 'domain:default/logistics'],
        lifecycle: ['production'],
        sort: 'consumers',
        order: 'desc',
        limit: 50,
        cursor: 'abc_-',
      }),
    ).resolves.toEqual(page);
    await client.explore({});
    expect(fetch.mock.calls.map(call => call[0])).toEqual([
      'http://portal.test/api/data-products/explore?q=50%25+off&domain=domain%3Adefault%2Fsales&domain=domain%3Adefault%2Flogistics&lifecycle=production&sort=consumers&order=desc&limit=50&cursor=abc_-',
      'http://portal.test/api/data-products/explore',
    ]);
  });

  it("throws the backend's error", async () => {
    const { client } = clientWith(
      jsonResponse(400, {
        error: { name: 'InputError', message: 'Invalid limit "0"' },
        response: { statusCode: 400 },
      }),
    );
    await expect(client.explore({ limit: 0 })).rejects.toMatchObject({
      name: 'ResponseError',
      cause: { name: 'InputError', message: 'Invalid limit "0"' },
    });
  });
});
