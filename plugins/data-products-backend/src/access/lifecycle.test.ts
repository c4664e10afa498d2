import { createWarehouseTestDatabases } from '@dataproducts/plugin-data-products-node/testUtils';
import {
  type AccessTestBackend,
  as,
  startAccessTestBackend,
  USERS,
} from './__testUtils__/accessTestBackend';

jest.setTimeout(180_000);

const CUSTOMERS = 'outputport:default/sales-crm-customers-customers';
const ORDERS = 'outputport:default/sales-erp-orders-orders';
const LOGISTICS = 'dataproduct:default/logistics-wms-shipments';

const inDays = (days: number) =>
  new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString();

describe('access requests, end to end', () => {
  let backend: AccessTestBackend;
  // Declared before the test databases, whose own afterAll closes them.
  afterAll(() => backend?.stop());
  const databases = createWarehouseTestDatabases();

  beforeAll(async () => {
    backend = await startAccessTestBackend(databases);
  });

  const logisticsRole = () => `${backend.prefix}logistics_wms`;

  it('requests, approves with a real GRANT, expires with a real REVOKE, and records every step', async () => {
    const { server } = backend;
    const created = await server
      .post('/api/data-products/access-requests')
      .set(...as(USERS.lou))
      .send({
        port: CUSTOMERS,
        consumer: LOGISTICS,
        purpose: 'Match shipments to customers',
        until: inDays(30),
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      port: CUSTOMERS,
      product: 'dataproduct:default/sales-crm-customers',
      consumer: LOGISTICS,
      requester: USERS.lou,
      status: 'requested',
    });
    const id = created.body.id;
    expect(await backend.readersOf('sales_crm', 'customers')).toEqual([]);

    const pending = await server
      .get(
        '/api/data-products/ports/default/sales-crm-customers-customers/access',
      )
      .set(...as(USERS.mark));
    expect(pending.body).toEqual({ readers: [], pending: [created.body] });
    expect(await backend.notificationsOf(USERS.ana)).toEqual([
      `${LOGISTICS} asks to read ${CUSTOMERS}`,
    ]);

    const approved = await server
      .post(`/api/data-products/access-requests/${id}/approve`)
      .set(...as(USERS.ana))
      .send({ note: 'For the delivery report' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'granted',
      decidedBy: USERS.ana,
      decisionNote: 'For the delivery report',
      outcome: 'GRANT ran: the consumer holds the reader role',
    });
    expect(await backend.readersOf('sales_crm', 'customers')).toEqual([
      logisticsRole(),
    ]);
    expect(await backend.notificationsOf(USERS.lou)).toEqual([
      `Your request for ${LOGISTICS} to read ${CUSTOMERS} was approved`,
    ]);

    const access = await server
      .get(
        '/api/data-products/ports/default/sales-crm-customers-customers/access',
      )
      .set(...as(USERS.lou));
    expect(access.body).toEqual({
      readers: [
        {
          role: logisticsRole(),
          consumer: LOGISTICS,
          managed: true,
          request: approved.body,
        },
      ],
      pending: [],
    });

    // The end date passes; the scheduler's next run ends the access.
    await backend
      .pluginDb('data_product_access_requests')
      .where({ id })
      .update({ until: new Date(Date.now() - 1000) });
    await backend.runExpiry();
    expect(await backend.readersOf('sales_crm', 'customers')).toEqual([]);
    const expired = await server
      .get('/api/data-products/access-requests')
      .query({ consumer: LOGISTICS, port: CUSTOMERS })
      .set(...as(USERS.lou));
    expect(expired.body.items).toEqual([
      expect.objectContaining({
        id,
        status: 'expired',
        outcome: 'REVOKE ran: the consumer no longer holds the reader role',
      }),
    ]);
    expect(await backend.notificationsOf(USERS.ana)).toContain(
      `${LOGISTICS}'s access to ${CUSTOMERS} has expired`,
    );

    const history = await server
      .get('/api/data-products/products/default/sales-crm-customers/history')
      .set(...as(USERS.mark));
    expect(
      history.body.events.map(
        (e: { action: string; actor: string; outcome: string }) =>
          `${e.action} ${e.actor} ${e.outcome}`,
      ),
    ).toEqual([
      'expire plugin:data-products succeeded',
      `grant ${USERS.ana} succeeded`,
      `approve ${USERS.ana} succeeded`,
      `request ${USERS.lou} succeeded`,
    ]);
  });

  it('schedules the expiry task once for the whole cluster', async () => {
    expect(await backend.scheduledTasks()).toContainEqual(
      expect.objectContaining({
        id: 'data-products-access-expiry',
        scope: 'global',
      }),
    );
  });

  it('grants a public port at once', async () => {
    const res = await backend.server
      .post('/api/data-products/access-requests')
      .set(...as(USERS.lou))
      .send({ port: ORDERS, consumer: LOGISTICS, purpose: 'Order volumes' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'granted',
      decisionNote: 'The port is public: granted on request',
    });
    expect(res.body.decidedBy).toBeUndefined();
    expect(await backend.readersOf('sales_erp', 'orders')).toEqual([
      logisticsRole(),
    ]);
    expect(await backend.notificationsOf(USERS.ana)).toContain(
      `${LOGISTICS} now reads ${ORDERS}`,
    );

    const revoked = await backend.server
      .post(`/api/data-products/access-requests/${res.body.id}/revoke`)
      .set(...as(USERS.ana))
      .send({ note: 'Project over' });
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      decisionNote: 'Project over',
    });
    expect(await backend.readersOf('sales_erp', 'orders')).toEqual([]);
  });

  it('refuses a private port, naming it, and stores nothing', async () => {
    const before = await backend.snapshot();
    const res = await backend.server
      .post('/api/data-products/access-requests')
      .set(...as(USERS.mark))
      .send({
        port: 'outputport:default/logistics-wms-shipments-shipments',
        consumer: 'group:default/marketing',
        purpose: 'Delivery times',
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Output port outputport:default/logistics-wms-shipments-shipments is private: its access cannot be requested. Ask its owner group:default/logistics to make it restricted or public.',
    );
    expect(await backend.snapshot()).toEqual(before);
  });

  it("gives a group consumer a NOLOGIN role and grants it, and shows it in the members' access", async () => {
    const { server } = backend;
    const created = await server
      .post('/api/data-products/access-requests')
      .set(...as(USERS.mark))
      .send({
        port: CUSTOMERS,
        consumer: 'group:default/marketing',
        purpose: 'Campaign analysis by hand',
      });
    expect(created.status).toBe(201);
    const approved = await server
      .post(`/api/data-products/access-requests/${created.body.id}/approve`)
      .set(...as(USERS.ana))
      .send({});
    expect(approved.body.status).toBe('granted');
    const groupRole = `${backend.prefix}grp_marketing`;
    expect(await backend.readersOf('sales_crm', 'customers')).toEqual([
      groupRole,
    ]);
    const role = await backend.warehouseDb.raw(
      'SELECT rolcanlogin FROM pg_catalog.pg_roles WHERE rolname = ?',
      [groupRole],
    );
    expect(role.rows).toEqual([{ rolcanlogin: false }]);

    const mine = await server
      .get('/api/data-products/me/access')
      .set(...as(USERS.mark));
    expect(mine.body).toEqual({
      requests: [approved.body],
      readable: [{ port: CUSTOMERS, via: 'group:default/marketing' }],
    });
    const access = await server
      .get(
        '/api/data-products/ports/default/sales-crm-customers-customers/access',
      )
      .set(...as(USERS.mark));
    expect(access.body.readers).toEqual([
      {
        role: groupRole,
        consumer: 'group:default/marketing',
        managed: true,
        request: approved.body,
      },
    ]);

    await server
      .post(`/api/data-products/access-requests/${created.body.id}/revoke`)
      .set(...as(USERS.ana))
      .send({});
    expect(await backend.readersOf('sales_crm', 'customers')).toEqual([]);
  });

  it('denies with a note, granting nothing, and tells the requester', async () => {
    const created = await backend.server
      .post('/api/data-products/access-requests')
      .set(...as(USERS.mark))
      .send({
        port: CUSTOMERS,
        consumer: 'group:default/marketing',
        purpose: 'Email everyone',
      });
    const denied = await backend.server
      .post(`/api/data-products/access-requests/${created.body.id}/deny`)
      .set(...as(USERS.ana))
      .send({ note: 'Not for mass mailing' });
    expect(denied.body).toMatchObject({
      status: 'denied',
      decidedBy: USERS.ana,
      decisionNote: 'Not for mass mailing',
    });
    expect(await backend.readersOf('sales_crm', 'customers')).toEqual([]);
    expect(await backend.notificationsOf(USERS.mark)).toContain(
      `Your request for group:default/marketing to read ${CUSTOMERS} was denied`,
    );
  });

  it('writes a failed GRANT back with PostgreSQL-side reason', async () => {
    const created = await backend.server
      .post('/api/data-products/access-requests')
      .set(...as(USERS.lou))
      .send({
        port: CUSTOMERS,
        consumer: 'dataproduct:default/marketing-customer-360',
        purpose: 'Not provisioned yet',
      });
    const approved = await backend.server
      .post(`/api/data-products/access-requests/${created.body.id}/approve`)
      .set(...as(USERS.ana))
      .send({});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'failed',
      outcome:
        "Consumer data product 'marketing-customer-360' is not provisioned; provision it first",
    });
    const history = await backend.server
      .get('/api/data-products/products/default/sales-crm-customers/history')
      .set(...as(USERS.ana));
    expect(history.body.events[0]).toMatchObject({
      action: 'grant',
      outcome: 'failed',
      consumer: 'dataproduct:default/marketing-customer-360',
      detail: approved.body.outcome,
    });
  });

  it('reminds requester and owners a week before access ends, once', async () => {
    const created = await backend.server
      .post('/api/data-products/access-requests')
      .set(...as(USERS.lou))
      .send({
        port: CUSTOMERS,
        consumer: LOGISTICS,
        purpose: 'A short project',
        until: inDays(3),
      });
    await backend.server
      .post(`/api/data-products/access-requests/${created.body.id}/approve`)
      .set(...as(USERS.ana))
      .send({});
    await backend.runExpiry();
    await backend.runExpiry();
    const title = `${LOGISTICS}'s access to ${CUSTOMERS} ends on ${created.body.until.slice(
      0,
      10,
    )}`;
    for (const user of [USERS.lou, USERS.ana]) {
      const titles = await backend.notificationsOf(user);
      expect(titles.filter(t => t === title)).toHaveLength(1);
    }
    expect(await backend.readersOf('sales_crm', 'customers')).toEqual([
      logisticsRole(),
    ]);
    await backend.server
      .post(`/api/data-products/access-requests/${created.body.id}/revoke`)
      .set(...as(USERS.ana))
      .send({});
  });

  it('marks a grant made by hand in PostgreSQL as unmanaged', async () => {
    const reader = `"${backend.prefix}sales_crm__customers_r"`;
    const role = `"${backend.prefix}by_hand"`;
    await backend.warehouseDb.raw(`CREATE ROLE ${role} NOLOGIN`);
    await backend.warehouseDb.raw(`GRANT ${reader} TO ${role}`);
    const access = await backend.server
      .get(
        '/api/data-products/ports/default/sales-crm-customers-customers/access',
      )
      .set(...as(USERS.lou));
    expect(access.body.readers).toEqual([
      { role: `${backend.prefix}by_hand`, managed: false },
    ]);
    await backend.warehouseDb.raw(`DROP ROLE ${role}`);
  });
});
