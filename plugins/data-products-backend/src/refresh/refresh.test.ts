import { createWarehouseTestDatabases } from '@dataproducts/plugin-data-products-node/testUtils';
import {
  as,
  eventually,
  type Replica,
  RefreshTestCluster,
  refreshTestCatalog,
  USERS,
} from './__testUtils__/refreshTestBackend';

jest.setTimeout(180_000);

const CUSTOMERS = 'outputport:default/sales-crm-customers-customers';
const SHIPMENTS = 'outputport:default/logistics-wms-shipments-shipments';
const ORDERS = 'outputport:default/sales-erp-orders-orders';
const SHIPMENTS_URL =
  '/api/data-products/ports/default/logistics-wms-shipments-shipments';

// Scheduled refresh as the portal runs it: Backstage's real scheduler (global
// tasks in the plugin's database), two replicas of the backend on one plugin
// database, the real permission and notifications backends, and a real
// PostgreSQL warehouse. Sales CRM customers refreshes every second; Logistics
// shipments has no schedule and is fresh for three seconds after a build.
describe('scheduled refresh and freshness', () => {
  let cluster: RefreshTestCluster;
  let first: Replica;
  let second: Replica;
  // Declared before the test databases, whose own afterAll closes them.
  afterAll(() => cluster?.stop());
  const databases = createWarehouseTestDatabases();

  beforeAll(async () => {
    cluster = await RefreshTestCluster.create(
      databases,
      refreshTestCatalog({
        'sales-crm-customers-customers': {
          schedule: { every: 'PT1S' },
          freshness: { maxAge: 'PT1H' },
        },
        'logistics-wms-shipments-shipments': {
          freshness: { maxAge: 'PT3S' },
        },
      }),
    );
    first = await cluster.start();
    second = await cluster.start();
  });

  const rowsIn = async (object: string) =>
    Number(
      (await cluster.warehouse.knex.raw(`SELECT count(*) AS n FROM ${object}`))
        .rows[0].n,
    );

  it('refreshes a port on its schedule: a new source row reaches the port', async () => {
    const before = await rowsIn('sales_crm.customers');
    await cluster.warehouse.knex('sources.crm_customers').insert({
      id: 900001,
      first_name: 'Nova',
      last_name: 'Row',
      email: 'nova.row@example.com',
      signup_date: '2026-11-30',
    });
    const run = await eventually(
      'a scheduled refresh with the new customer',
      async () =>
        (
          await cluster.runs(CUSTOMERS)
        ).find(r => r.outcome === 'succeeded' && r.rows === before + 1),
    );
    expect(run).toMatchObject({
      trigger: 'schedule',
      actor: 'plugin:data-products',
      attempt: 1,
    });
    expect(await rowsIn('sales_crm.customers')).toBe(before + 1);
    const customer = await cluster.warehouse
      .knex('sales_crm.customers')
      .where({ id: 900001 })
      .first();
    expect(customer).toMatchObject({ first_name: 'Nova', last_name: 'Row' });

    const freshness = await first.server
      .get(
        '/api/data-products/ports/default/sales-crm-customers-customers/freshness',
      )
      .set(...as(USERS.mark));
    expect(freshness.status).toBe(200);
    expect(freshness.body).toMatchObject({
      port: CUSTOMERS,
      product: 'dataproduct:default/sales-crm-customers',
      state: 'fresh',
      maxAge: 'PT1H',
      schedule: 'every PT1S',
      consecutiveFailures: 0,
    });
    expect(freshness.body.runs[0]).toMatchObject({ port: CUSTOMERS });
  });

  it("never runs one port's refresh on two replicas at once", async () => {
    // Both replicas hold a worker for the task.
    for (const replica of [first, second]) {
      const tasks = await replica.server
        .get('/api/data-products/.backstage/scheduler/v1/tasks')
        .set(...as(USERS.mark));
      expect(
        tasks.body.tasks.map((t: { taskId: string }) => t.taskId),
      ).toContain(`data-products-refresh:${CUSTOMERS}`);
    }
    const runs = await eventually('ten scheduled refreshes', async () => {
      const done = (await cluster.runs(CUSTOMERS)).filter(
        run => run.trigger === 'schedule' && run.finishedAt,
      );
      return done.length >= 10 ? done : undefined;
    });
    // Each run starts after the one before it finished: had two replicas
    // run it at once, one would have waited for the other's product lock.
    const sorted = [...runs].sort((a, b) =>
      a.startedAt.localeCompare(b.startedAt),
    );
    for (let i = 1; i < sorted.length; i++) {
      expect(Date.parse(sorted[i].startedAt)).toBeGreaterThanOrEqual(
        Date.parse(sorted[i - 1].finishedAt!),
      );
    }
    expect(runs.every(run => run.outcome === 'succeeded')).toBe(true);
  });

  it('turns a port stale after its maxAge, once, and tells its owners', async () => {
    const title = 'logistics-wms-shipments.shipments is stale';
    const told = async () =>
      (await cluster.notificationsOf(USERS.lou)).filter(t => t === title)
        .length;
    // Built now, and seen fresh by a freshness check.
    const built = await first.server
      .post(`${SHIPMENTS_URL}/refresh`)
      .set(...as(USERS.lou));
    expect(built.body.freshness).toMatchObject({ state: 'fresh' });
    const states = async () =>
      (await cluster.pluginDb())('data_product_port_freshness')
        .where({ port: SHIPMENTS })
        .first();
    await eventually('a check that sees shipments fresh', async () =>
      (await states())?.state === 'fresh' ? true : undefined,
    );
    const toldBefore = await told();
    const stale = await eventually('shipments to turn stale', async () => {
      const res = await first.server
        .get(`${SHIPMENTS_URL}/freshness`)
        .set(...as(USERS.mark));
      return res.body.state === 'stale' ? res.body : undefined;
    });
    expect(stale).toMatchObject({
      port: SHIPMENTS,
      maxAge: 'PT3S',
      consecutiveFailures: 0,
    });
    expect(stale.reason).toMatch(/older than its maxAge PT3S/);
    await eventually('the stale notification', async () =>
      (await told()) === toldBefore + 1 ? true : undefined,
    );
    // Later checks see it stale again, and tell nobody again.
    await new Promise(resolve => setTimeout(resolve, 2500));
    expect(await told()).toBe(toldBefore + 1);
    expect(await cluster.notificationsOf(USERS.ana)).not.toContain(title);
  });

  it('refuses Refresh now to another team with 403, changing nothing', async () => {
    const runsBefore = await cluster.runs(SHIPMENTS);
    const builtBefore = await cluster.warehouse.engine.builds([
      'logistics-wms-shipments',
    ]);
    const res = await first.server
      .post(`${SHIPMENTS_URL}/refresh`)
      .set(...as(USERS.mark));
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        "You are not allowed to refresh data product dataproduct:default/logistics-wms-shipments: permission dataproduct.refresh was denied. Ask a member of the product's owner group or a data product administrator.",
    });
    expect(await cluster.runs(SHIPMENTS)).toEqual(runsBefore);
    expect(
      await cluster.warehouse.engine.builds(['logistics-wms-shipments']),
    ).toEqual(builtBefore);
  });

  it('refreshes now for the owner: the port is fresh again, and the History says who', async () => {
    const res = await first.server
      .post(`${SHIPMENTS_URL}/refresh`)
      .set(...as(USERS.lou));
    expect(res.status).toBe(200);
    expect(res.body.run).toMatchObject({
      port: SHIPMENTS,
      trigger: 'manual',
      actor: USERS.lou,
      outcome: 'succeeded',
      attempt: 1,
      rows: await rowsIn('logistics_wms.shipments'),
    });
    expect(res.body.freshness).toMatchObject({ state: 'fresh' });
    const history = await first.server
      .get(
        '/api/data-products/products/default/logistics-wms-shipments/history',
      )
      .set(...as(USERS.lou));
    expect(history.body.events ?? history.body).toContainEqual(
      expect.objectContaining({
        actor: USERS.lou,
        action: 'refresh',
        port: SHIPMENTS,
        outcome: 'succeeded',
      }),
    );
  });

  it('tries a transient failure again: a refresh that waited too long for a lock succeeds on its retry', async () => {
    const lock = await cluster.warehouse.knex.transaction();
    await lock.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
      'dataproducts:product:logistics-wms-shipments',
    ]);
    const refreshing = first.server
      .post(`${SHIPMENTS_URL}/refresh`)
      .set(...as(USERS.lou))
      .then(res => res);
    await eventually('a retrying attempt', async () =>
      (await cluster.runs(SHIPMENTS)).some(run => run.outcome === 'retrying')
        ? true
        : undefined,
    );
    await lock.commit();
    const res = await refreshing;
    expect(res.status).toBe(200);
    expect(res.body.run).toMatchObject({ outcome: 'succeeded' });
    const runs = (await cluster.runs(SHIPMENTS)).filter(
      run => run.trigger === 'manual',
    );
    const retried = runs.slice(runs.findIndex(r => r.outcome === 'retrying'));
    expect(retried[0].error).toMatch(
      /waited longer than 300 ms \(dataProducts\.warehouse\.lockTimeout\)/,
    );
    expect(retried.at(-1)).toMatchObject({
      outcome: 'succeeded',
      attempt: retried.length,
    });
  });

  it('turns failing when refreshes fail, tells the owners on the second failure in a row, and is fresh once one succeeds', async () => {
    // A source column renamed: the port's SELECT fails, which no retry mends.
    await cluster.warehouse.knex.raw(
      'ALTER TABLE sources.wms_shipments RENAME COLUMN delivery_status TO status',
    );
    try {
      for (const attempt of [1, 2]) {
        const res = await first.server
          .post(`${SHIPMENTS_URL}/refresh`)
          .set(...as(USERS.lou));
        expect(res.status).toBe(200);
        expect(res.body.run).toMatchObject({ outcome: 'failed', attempt: 1 });
        expect(res.body.run.error).toMatch(/delivery_status/);
        expect(res.body.freshness).toMatchObject({
          state: 'failing',
          consecutiveFailures: attempt,
        });
      }
    } finally {
      await cluster.warehouse.knex.raw(
        'ALTER TABLE sources.wms_shipments RENAME COLUMN status TO delivery_status',
      );
    }
    const failed = (await cluster.notificationsOf(USERS.lou)).filter(title =>
      title.startsWith('Refreshing logistics-wms-shipments.shipments failed'),
    );
    expect(failed).toEqual([
      'Refreshing logistics-wms-shipments.shipments failed 2 times in a row',
    ]);
    // The previous build stays in place: readers still see its rows.
    expect(await rowsIn('logistics_wms.shipments')).toBeGreaterThan(0);

    const product = await first.server
      .get(
        '/api/data-products/products/default/logistics-wms-shipments/freshness',
      )
      .set(...as(USERS.mark));
    expect(product.body).toMatchObject({ state: 'failing' });

    const res = await first.server
      .post(`${SHIPMENTS_URL}/refresh`)
      .set(...as(USERS.lou));
    expect(res.body.freshness).toMatchObject({
      state: 'fresh',
      consecutiveFailures: 0,
    });
  });

  it('answers for many ports at once; a view of operational tables is live, so fresh, and has nothing to refresh', async () => {
    const res = await first.server
      .get('/api/data-products/freshness')
      .query({ entityRef: [CUSTOMERS, 'dataproduct:default/sales-erp-orders'] })
      .set(...as(USERS.mark));
    expect(res.status).toBe(200);
    const states = Object.fromEntries(
      res.body.ports.map((p: { port: string; state: string }) => [
        p.port,
        p.state,
      ]),
    );
    expect(states).toEqual({ [CUSTOMERS]: 'fresh', [ORDERS]: 'fresh' });
    expect(
      res.body.products.map((p: { product: string }) => p.product).sort(),
    ).toEqual([
      'dataproduct:default/sales-crm-customers',
      'dataproduct:default/sales-erp-orders',
    ]);

    const bad = await first.server
      .get('/api/data-products/freshness')
      .query({ entityRef: 'outputport:default/' })
      .set(...as(USERS.mark));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /Invalid entity ref "outputport:default\/"/,
    );

    const views = await first.server
      .post('/api/data-products/ports/default/sales-erp-orders-orders/refresh')
      .set(...as(USERS.lou));
    expect(views.status).toBe(400);
    expect(views.body.error.message).toBe(
      `Output port ${ORDERS} is a view: it is live and has nothing to refresh. Refresh the ports it reads instead.`,
    );
  });
});
