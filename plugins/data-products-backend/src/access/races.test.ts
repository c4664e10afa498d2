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

describe('access decisions at the same time', () => {
  let backend: AccessTestBackend;
  afterAll(() => backend?.stop());
  const databases = createWarehouseTestDatabases();

  beforeAll(async () => {
    backend = await startAccessTestBackend(databases);
  });

  async function requestAccess(): Promise<string> {
    const res = await backend.server
      .post('/api/data-products/access-requests')
      .set(...as(USERS.lou))
      .send({ port: CUSTOMERS, consumer: LOGISTICS, purpose: 'Races' });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const decide = (id: string, verb: 'approve' | 'deny' | 'revoke') =>
    backend.server
      .post(`/api/data-products/access-requests/${id}/${verb}`)
      .set(...as(USERS.ana))
      .send({});

  async function events(action: string, consumer = LOGISTICS) {
    const res = await backend.server
      .get('/api/data-products/products/default/sales-crm-customers/history')
      .set(...as(USERS.ana));
    return res.body.events.filter(
      (e: { action: string; consumer?: string }) =>
        e.action === action && e.consumer === consumer,
    );
  }

  it('grants once when a request is approved twice at once; the second answers 409', async () => {
    const id = await requestAccess();
    const grantsBefore = (await events('grant')).length;
    const answers = await Promise.all([
      decide(id, 'approve'),
      decide(id, 'approve'),
    ]);
    expect(answers.map(a => a.status).sort()).toEqual([200, 409]);
    const conflict = answers.find(a => a.status === 409)!;
    expect(conflict.body.error).toMatchObject({
      name: 'ConflictError',
      message: `Access request ${id} is granted: only a request that waits for a decision (requested) can be approved`,
    });
    expect(await events('grant')).toHaveLength(grantsBefore + 1);
    expect(await backend.readersOf('sales_crm', 'customers')).toEqual([
      `${backend.prefix}logistics_wms`,
    ]);
    expect((await decide(id, 'revoke')).body.status).toBe('revoked');
  });

  it('keeps the warehouse and the request in step when approving and revoking race', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await requestAccess();
      const [approved, revoked] = await Promise.all([
        decide(id, 'approve'),
        decide(id, 'revoke'),
      ]);
      expect(approved.status).toBe(200);
      // The revoke ran either before the approval (nothing granted yet: 409)
      // or after it (the access it granted is taken away).
      expect([200, 409]).toContain(revoked.status);
      const state = await backend.server
        .get('/api/data-products/access-requests')
        .query({ consumer: LOGISTICS, port: CUSTOMERS, status: 'granted' })
        .set(...as(USERS.ana));
      const seen = {
        revoke: revoked.body.status ?? revoked.body.error.message,
        granted: state.body.items.map((r: { id: string }) => r.id),
        readers: await backend.readersOf('sales_crm', 'customers'),
      };
      expect(seen).toEqual(
        revoked.status === 200
          ? { revoke: 'revoked', granted: [], readers: [] }
          : {
              revoke: `Access request ${id} is requested: only granted access can be revoked; deny the request instead`,
              granted: [id],
              readers: [`${backend.prefix}logistics_wms`],
            },
      );
      if (revoked.status === 409) {
        await decide(id, 'revoke');
      }
    }
  });

  it('revokes once when two owners revoke at once', async () => {
    const id = await requestAccess();
    await decide(id, 'approve');
    const answers = await Promise.all([
      decide(id, 'revoke'),
      decide(id, 'revoke'),
    ]);
    expect(answers.map(a => a.status).sort()).toEqual([200, 409]);
    expect(await backend.readersOf('sales_crm', 'customers')).toEqual([]);
  });

  it('stores one open request when the same request is sent twice at once', async () => {
    const send = () =>
      backend.server
        .post('/api/data-products/access-requests')
        .set(...as(USERS.mark))
        .send({
          port: CUSTOMERS,
          consumer: 'group:default/marketing',
          purpose: 'Twice',
        });
    const answers = await Promise.all([send(), send()]);
    expect(answers.map(a => a.status).sort()).toEqual([201, 409]);
    const created = answers.find(a => a.status === 201)!;
    expect(answers.find(a => a.status === 409)!.body.error.message).toBe(
      `group:default/marketing already has access request ${created.body.id} for ${CUSTOMERS}, which is requested: wait for its decision, or revoke it before asking again`,
    );
    await decide(created.body.id, 'deny');
  });

  it('ends access once when a revoke and the expiry race', async () => {
    const ended = async () =>
      [...(await events('revoke')), ...(await events('expire'))].filter(
        (e: { outcome: string }) => e.outcome === 'succeeded',
      ).length;
    const id = await requestAccess();
    await decide(id, 'approve');
    await backend
      .pluginDb('data_product_access_requests')
      .where({ id })
      .update({ until: new Date(Date.now() - 1000) });
    const endedBefore = await ended();
    const [revoked] = await Promise.all([
      decide(id, 'revoke'),
      backend.runExpiry(),
    ]);
    const stored = await backend
      .pluginDb('data_product_access_requests')
      .where({ id })
      .first();
    // Whichever ran first ended the access; the other found it ended.
    expect(['revoked', 'expired']).toContain(stored.status);
    expect(revoked.status).toBe(stored.status === 'revoked' ? 200 : 409);
    expect(await backend.readersOf('sales_crm', 'customers')).toEqual([]);
    expect(await ended()).toBe(endedBefore + 1);
  });
});
