import { mockCredentials } from '@backstage/backend-test-utils';
import { createWarehouseTestDatabases } from '@dataproducts/plugin-data-products-node/testUtils';
import {
  type AccessTestBackend,
  as,
  startAccessTestBackend,
  USERS,
} from './__testUtils__/accessTestBackend';

jest.setTimeout(180_000);

const CUSTOMERS = 'outputport:default/sales-crm-customers-customers';
const LOGISTICS = 'dataproduct:default/logistics-wms-shipments';

describe('refused access calls', () => {
  let backend: AccessTestBackend;
  afterAll(() => backend?.stop());
  const databases = createWarehouseTestDatabases();
  let requested: string;
  let granted: string;

  beforeAll(async () => {
    backend = await startAccessTestBackend(databases);
    const create = (consumer: string, user: string) =>
      backend.server
        .post('/api/data-products/access-requests')
        .set(...as(user))
        .send({ port: CUSTOMERS, consumer, purpose: 'Refusals' });
    requested = (await create('group:default/marketing', USERS.mark)).body.id;
    granted = (await create(LOGISTICS, USERS.lou)).body.id;
    await backend.server
      .post(`/api/data-products/access-requests/${granted}/approve`)
      .set(...as(USERS.ana))
      .send({});
  });

  const post = (path: string, user: string, body: unknown) =>
    backend.server
      .post(`/api/data-products${path}`)
      .set(...as(user))
      .send(body as object);

  it.each([
    [
      'approving without dataproduct.access.approve',
      () => post(`/access-requests/${requested}/approve`, USERS.mark, {}),
      'You are not allowed to approve access requests for dataproduct:default/sales-crm-customers: permission dataproduct.access.approve was denied.',
    ],
    [
      'denying without dataproduct.access.approve',
      () => post(`/access-requests/${requested}/deny`, USERS.lou, {}),
      'You are not allowed to deny access requests for dataproduct:default/sales-crm-customers: permission dataproduct.access.approve was denied.',
    ],
    [
      'revoking without dataproduct.access.revoke',
      () => post(`/access-requests/${granted}/revoke`, USERS.lou, {}),
      'You are not allowed to revoke access requests for dataproduct:default/sales-crm-customers: permission dataproduct.access.revoke was denied.',
    ],
    [
      'requesting for a product one may not update',
      () =>
        post('/access-requests', USERS.mark, {
          port: CUSTOMERS,
          consumer: LOGISTICS,
          purpose: 'Not mine',
        }),
      'You are not allowed to request access on behalf of dataproduct:default/logistics-wms-shipments: permission dataproduct.update was denied.',
    ],
    [
      'requesting for a group one is not a member of',
      () =>
        post('/access-requests', USERS.lou, {
          port: CUSTOMERS,
          consumer: 'group:default/marketing',
          purpose: 'Not my group',
        }),
      'You are not a member of group:default/marketing, so you cannot request access on its behalf. Ask one of its members.',
    ],
  ])(
    'answers 403 for %s, and changes nothing',
    async (_case, call, message) => {
      const before = await backend.snapshot();
      const res = await call();
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toContain(message);
      expect(res.body.error.stack).toBeUndefined();
      expect(await backend.snapshot()).toEqual(before);
    },
  );

  it.each([
    [
      'a body without purpose',
      '/access-requests',
      { port: CUSTOMERS, consumer: LOGISTICS },
      'Invalid access request: purpose Required',
    ],
    [
      'a NUL character',
      '/access-requests',
      { port: CUSTOMERS, consumer: LOGISTICS, purpose: 'a\u0000b' },
      'Invalid access request: purpose must not contain NUL',
    ],
    [
      'an until that is no date',
      '/access-requests',
      { port: CUSTOMERS, consumer: LOGISTICS, purpose: 'x', until: 'soon' },
      'Invalid access request: until must be an ISO date-time, e.g. 2026-06-30T00:00:00Z',
    ],
    [
      'an until in the past',
      '/access-requests',
      {
        port: CUSTOMERS,
        consumer: LOGISTICS,
        purpose: 'x',
        until: '2001-01-01T00:00:00Z',
      },
      'Invalid until "2001-01-01T00:00:00Z": access must end in the future',
    ],
    [
      'an unknown field',
      '/access-requests',
      { port: CUSTOMERS, consumer: LOGISTICS, purpose: 'x', role: 'postgres' },
      "Invalid access request: Unrecognized key(s) in object: 'role'",
    ],
    [
      'a body that is a list',
      '/access-requests',
      [],
      'Invalid access request: Expected object, received array',
    ],
    [
      'a consumer of another kind',
      '/access-requests',
      {
        port: CUSTOMERS,
        consumer: 'user:default/mark.marketing',
        purpose: 'x',
      },
      'Invalid consumer "user:default/mark.marketing": a consumer is a data product or a group',
    ],
    [
      'a consumer the catalog does not know',
      '/access-requests',
      { port: CUSTOMERS, consumer: 'group:default/nobody', purpose: 'x' },
      'Consumer group:default/nobody is not in the catalog: register it first',
    ],
    [
      'a port that is another kind',
      '/access-requests',
      {
        port: 'dataproduct:default/sales-crm-customers',
        consumer: LOGISTICS,
        purpose: 'x',
      },
      'dataproduct:default/sales-crm-customers is a DataProduct, not an OutputPort',
    ],
    [
      'a product asking for its own port',
      '/access-requests',
      {
        port: CUSTOMERS,
        consumer: 'dataproduct:default/sales-crm-customers',
        purpose: 'x',
      },
      'dataproduct:default/sales-crm-customers owns outputport:default/sales-crm-customers-customers',
    ],
    [
      'a note that is not text',
      `/access-requests/{granted}/revoke`,
      { note: 42 },
      'Invalid decision: note Expected string, received number',
    ],
    [
      'an id that is no UUID',
      '/access-requests/1%20OR%201=1/approve',
      {},
      'Invalid access request id "1 OR 1=1": ids are UUIDs',
    ],
  ])('answers 400 for %s, naming it', async (_case, path, body, message) => {
    const before = await backend.snapshot();
    const res = await post(path.replace('{granted}', granted), USERS.lou, body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
    expect(await backend.snapshot()).toEqual(before);
  });

  it('answers 404 for an unknown request or port, 409 for a decided one', async () => {
    const missing = await post(
      '/access-requests/00000000-0000-4000-8000-000000000000/approve',
      USERS.ana,
      {},
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'There is no access request 00000000-0000-4000-8000-000000000000',
    );
    const port = await backend.server
      .get('/api/data-products/ports/default/nope/access')
      .set(...as(USERS.ana));
    expect(port.status).toBe(404);
    expect(port.body.error.message).toBe(
      'There is no output port outputport:default/nope in the catalog',
    );
    const decided = await post(
      `/access-requests/${granted}/deny`,
      USERS.ana,
      {},
    );
    expect(decided.status).toBe(409);
    expect(decided.body.error.message).toBe(
      `Access request ${granted} is granted: only a request that waits for a decision (requested) can be denied`,
    );
  });

  it('refuses callers that are not signed-in users', async () => {
    const anonymous = await backend.server
      .get('/api/data-products/me/access')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const service = await backend.server
      .post('/api/data-products/access-requests')
      .set('Authorization', mockCredentials.service.header())
      .send({ port: CUSTOMERS, consumer: LOGISTICS, purpose: 'x' });
    expect(service.status).toBe(403);
  });
});
