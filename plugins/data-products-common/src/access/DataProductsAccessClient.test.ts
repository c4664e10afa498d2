import { ResponseError } from '@backstage/errors';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessEvent, AccessRequest, PortAccess } from '../accessRequests';
import { DataProductsAccessClient } from './DataProductsAccessClient';

const accessRequest: AccessRequest = {
  id: '5f0c7a52-6d8e-4a53-9c1e-0a0b3f4f9d11',
  port: 'outputport:default/sales-crm-customers-customers',
  product: 'dataproduct:default/sales-crm-customers',
  consumer: 'dataproduct:default/marketing-customer-360',
  requester: 'user:default/mia',
  purpose: 'Customer activity for campaign targeting',
  status: 'requested',
  createdAt: '2026-01-02T03:04:05.678Z',
  updatedAt: '2026-01-02T03:04:05.678Z',
};

type Received = {
  method?: string;
  url?: string;
  authorization?: string;
  body?: unknown;
};

describe('DataProductsAccessClient', () => {
  let server: Server;
  let baseUrl: string;
  let received: Received;
  let answer: { status: number; body: unknown };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', chunk => (text += chunk));
      req.on('end', () => {
        received = {
          method: req.method,
          url: req.url,
          authorization: req.headers.authorization,
          body: text ? JSON.parse(text) : undefined,
        };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>(resolve => server.listen(0, resolve));
    baseUrl = `http://localhost:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  const client = new DataProductsAccessClient({
    discoveryApi: { getBaseUrl: async pluginId => `${baseUrl}/${pluginId}` },
  });

  it('requests access with the user token', async () => {
    answer = { status: 201, body: accessRequest };
    const body = {
      port: accessRequest.port,
      consumer: accessRequest.consumer,
      purpose: accessRequest.purpose,
      until: '2026-06-30T00:00:00.000Z',
    };
    await expect(client.requestAccess(body, { token: 'abc' })).resolves.toEqual(
      accessRequest,
    );
    expect(received).toEqual({
      method: 'POST',
      url: '/api/data-products/access-requests',
      authorization: 'Bearer abc',
      body,
    });
  });

  it('lists requests with only the filters given', async () => {
    answer = { status: 200, body: { items: [accessRequest] } };
    await expect(
      client.listAccessRequests({
        port: accessRequest.port,
        status: 'requested',
        consumer: undefined,
      }),
    ).resolves.toEqual([accessRequest]);
    expect(received.url).toBe(
      '/api/data-products/access-requests?port=outputport%3Adefault%2Fsales-crm-customers-customers&status=requested',
    );
    await client.listAccessRequests();
    expect(received.url).toBe('/api/data-products/access-requests');
  });

  it.each([
    [
      'approve',
      (id: string) => client.approveAccessRequest(id, { note: 'ok' }),
    ],
    ['deny', (id: string) => client.denyAccessRequest(id, { note: 'ok' })],
    ['revoke', (id: string) => client.revokeAccessRequest(id, { note: 'ok' })],
  ] as const)('posts a decision to %s', async (verb, decide) => {
    answer = { status: 200, body: accessRequest };
    await expect(decide(accessRequest.id)).resolves.toEqual(accessRequest);
    expect(received).toMatchObject({
      method: 'POST',
      url: `/api/data-products/access-requests/${accessRequest.id}/${verb}`,
      body: { note: 'ok' },
    });
  });

  it('reads a port by ref and a product history by ref or parts', async () => {
    const access: PortAccess = { readers: [], pending: [accessRequest] };
    answer = { status: 200, body: access };
    await expect(
      client.getPortAccess('sales-crm-customers-customers'),
    ).resolves.toEqual(access);
    expect(received.url).toBe(
      '/api/data-products/ports/default/sales-crm-customers-customers/access',
    );

    const events: AccessEvent[] = [
      {
        id: '1',
        at: '2026-01-02T03:04:05.678Z',
        actor: 'user:default/mia',
        action: 'request',
        product: accessRequest.product,
        outcome: 'succeeded',
      },
    ];
    answer = { status: 200, body: { events } };
    await expect(
      client.getProductHistory({
        kind: 'DataProduct',
        namespace: 'sales',
        name: 'orders',
      }),
    ).resolves.toEqual(events);
    expect(received.url).toBe(
      '/api/data-products/products/sales/orders/history',
    );
  });

  it('reads my access', async () => {
    answer = { status: 200, body: { requests: [], readable: [] } };
    await expect(client.getMyAccess({ token: 't' })).resolves.toEqual({
      requests: [],
      readable: [],
    });
    expect(received).toMatchObject({
      method: 'GET',
      url: '/api/data-products/me/access',
      authorization: 'Bearer t',
    });
  });

  it("throws a ResponseError whose cause is the server's typed error", async () => {
    answer = {
      status: 409,
      body: {
        error: {
          name: 'ConflictError',
          message: `Access request ${accessRequest.id} is granted, not requested`,
        },
        request: { method: 'POST', url: '/access-requests/x/approve' },
        response: { statusCode: 409 },
      },
    };
    const error = await client
      .approveAccessRequest(accessRequest.id)
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('is granted, not requested'),
    });
  });
});
