import { Knex } from 'knex';
import {
  catalogSnapshot,
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
  provisionDemo,
} from '../testUtils';
import {
  buildBackends,
  buildsWaitingForLocks,
  copyOf,
  holdLock,
  noBuildSessionLeft,
  settledState,
} from './__testUtils__/sessions';

jest.setTimeout(180_000);

/** `default_transaction_read_only` of `count` pooled connections held at once. */
async function readOnlyDefaults(knex: Knex, count: number) {
  const connections = [];
  for (let i = 0; i < count; i++) {
    connections.push(await knex.client.acquireConnection());
  }
  try {
    return await Promise.all(
      connections.map(async connection => {
        const result = await knex
          .raw('SHOW default_transaction_read_only')
          .connection(connection);
        return result.rows[0].default_transaction_read_only;
      }),
    );
  } finally {
    for (const connection of connections) {
      await knex.client.releaseConnection(connection);
    }
  }
}

/** The product's role, schema, metadata row and grants, as PostgreSQL has them. */
async function traces(knex: Knex, prefix: string, schema: string) {
  const role = `${prefix}${schema}`;
  const found = await knex.raw(
    `SELECT
       (SELECT count(*)::int FROM pg_catalog.pg_namespace WHERE nspname = ?) AS schemas,
       (SELECT count(*)::int FROM pg_catalog.pg_roles WHERE starts_with(rolname, ?)) AS roles,
       (SELECT count(*)::int FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a
          JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
         WHERE starts_with(r.rolname, ?)) AS table_grants,
       (SELECT count(*)::int FROM dataproducts_meta.products WHERE schema_name = ?) AS records`,
    [schema, role, role, schema],
  );
  return found.rows[0];
}

describe('builds run on connections of their own', () => {
  const databases = createWarehouseTestDatabases();

  it('leave no session state behind: a source whose view sets default_transaction_read_only changes no later run', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      await knex.raw(`
        CREATE VIEW sources.crm_customers_live AS
        SELECT c.* FROM sources.crm_customers c
         WHERE set_config('default_transaction_read_only', 'on', false) = 'on'`);
      // The view really changes the session that reads it.
      const probe = await knex.client.acquireRawConnection();
      try {
        await knex
          .raw('SELECT count(*) FROM sources.crm_customers_live')
          .connection(probe);
        const shown = await knex
          .raw('SHOW default_transaction_read_only')
          .connection(probe);
        expect(shown.rows[0].default_transaction_read_only).toBe('on');
      } finally {
        await knex.client.destroyRawConnection(probe);
      }

      const hooked = copyOf(demoRequest('sales-crm-customers'), 'crm-live');
      hooked.ports[0].spec.source = 'sources.crm_customers_live';
      const built = await engine.apply(hooked);
      expect(built.ports[0]).toMatchObject({ built: true, rowCount: 500 });
      await engine.refresh('crm-live', 'customers');

      const results = await provisionDemo(engine);
      expect(results.map(r => r.ports[0].built)).toEqual([
        true,
        true,
        true,
        true,
      ]);
      const tables = await knex.raw(
        `SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relname IN ('customers', 'orders', 'shipments', 'customer_activity') ORDER BY 1`,
      );
      expect(tables.rows.map((r: { nspname: string }) => r.nspname)).toEqual([
        'crm_live',
        'logistics_wms',
        'marketing_360',
        'sales_crm',
        'sales_erp',
      ]);
      expect(await readOnlyDefaults(knex, 5)).toEqual([
        'off',
        'off',
        'off',
        'off',
        'off',
      ]);
      await noBuildSessionLeft(knex);
    } finally {
      await cleanup();
    }
  });

  it('cancel for real: an aborted build blocked on a lock leaves no schema, role, grant, record or session', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
      { limits: { lockTimeoutMs: 600_000 } },
    );
    try {
      const before = await catalogSnapshot(knex, prefix);
      const lock = await holdLock(
        knex,
        'LOCK TABLE sources.crm_customers IN ACCESS EXCLUSIVE MODE',
      );
      const controller = new AbortController();
      const apply = engine.apply(demoRequest('sales-crm-customers'), {
        signal: controller.signal,
      });
      const [blocked] = await buildsWaitingForLocks(knex, 1);
      controller.abort();
      const error = await apply.then(
        () => undefined,
        e => e,
      );
      expect(error).toMatchObject({
        name: 'BuildCancelledError',
        message: expect.stringMatching(
          /^Provisioning data product 'sales-crm-customers' was cancelled during step (source-grant|build):customers .*; nothing of it was committed/,
        ),
      });
      expect(error.stack).toBeDefined();
      await noBuildSessionLeft(knex);
      const gone = await knex.raw(
        'SELECT count(*)::int AS n FROM pg_catalog.pg_stat_activity WHERE pid = ?',
        [blocked.pid],
      );
      expect(gone.rows[0].n).toBe(0);
      expect(await traces(knex, prefix, 'sales_crm')).toEqual({
        schemas: 0,
        roles: 0,
        table_grants: 0,
        records: 0,
      });
      await lock.release();
      // Nothing of the cancelled build can commit later.
      await engine.apply(demoRequest('logistics-wms-shipments'));
      expect(await traces(knex, prefix, 'sales_crm')).toEqual({
        schemas: 0,
        roles: 0,
        table_grants: 0,
        records: 0,
      });
      await engine.decommission('logistics-wms-shipments');
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
    } finally {
      await cleanup();
    }
  });

  it('refuse a build whose signal fired before it started, and one cancelled while it waited for a build slot', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
      { limits: { lockTimeoutMs: 600_000, maxConcurrentBuilds: 1 } },
    );
    try {
      await expect(
        engine.apply(demoRequest('sales-crm-customers'), {
          signal: AbortSignal.abort(),
        }),
      ).rejects.toThrow(
        "Provisioning data product 'sales-crm-customers' was cancelled during the wait for a free build slot; nothing of it was committed",
      );
      const lock = await holdLock(
        knex,
        'LOCK TABLE sources.crm_customers IN ACCESS EXCLUSIVE MODE',
      );
      const running = engine.apply(demoRequest('sales-crm-customers'));
      await buildsWaitingForLocks(knex, 1);
      const controller = new AbortController();
      const queued = engine.plan(demoRequest('sales-erp-orders'), {
        signal: controller.signal,
      });
      controller.abort();
      await expect(queued).rejects.toMatchObject({
        name: 'BuildCancelledError',
        message: expect.stringContaining(
          "Checking the plan of data product 'sales-erp-orders' was cancelled during the wait for a free build slot",
        ),
      });
      await lock.release();
      await running;
      expect(await traces(knex, prefix, 'sales_crm')).toMatchObject({
        schemas: 1,
        records: 1,
      });
    } finally {
      await cleanup();
    }
  });

  it('run at most maxConcurrentBuilds at once, while inspect answers from the pool', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases, {
      limits: { lockTimeoutMs: 600_000, maxConcurrentBuilds: 4 },
    });
    try {
      await engine.apply(demoRequest('sales-erp-orders'));
      const names = Array.from({ length: 10 }, (_, i) => `crm-copy-${i}`);
      for (const name of names) {
        await engine.apply(copyOf(demoRequest('sales-crm-customers'), name));
      }
      const lock = await holdLock(
        knex,
        'LOCK TABLE sources.crm_customers IN ACCESS EXCLUSIVE MODE',
      );
      const builds = names.map(name => engine.refresh(name, 'customers'));
      const settled = builds.map(settledState);
      await buildsWaitingForLocks(knex, 4);

      const status = await engine.inspect('sales-erp-orders');
      expect(status).toMatchObject({
        provisioned: true,
        ports: [{ name: 'orders', exists: true, rowCount: expect.any(Number) }],
      });
      expect(settled.some(isSettled => isSettled())).toBe(false);
      expect(await buildBackends(knex)).toHaveLength(4);

      await lock.release();
      const results = await Promise.all(builds);
      expect(results.map(r => [r.object, r.rowCount])).toEqual(
        names.map(name => [`${name.replace(/-/g, '_')}.customers`, 500]),
      );
      await noBuildSessionLeft(knex);
    } finally {
      await cleanup();
    }
  });

  it('provision products on one source table at once: their grants on it take turns', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      const names = Array.from({ length: 6 }, (_, i) => `crm-copy-${i}`);
      const results = await Promise.all(
        names.map(name =>
          engine.apply(copyOf(demoRequest('sales-crm-customers'), name)),
        ),
      );
      expect(results.every(r => r.ports[0].rowCount === 500)).toBe(true);
      const readers = await knex.raw(
        `SELECT r.rolname FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a
           JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
          WHERE c.oid = 'sources.crm_customers'::regclass AND a.privilege_type = 'SELECT'
            AND starts_with(r.rolname, ?) ORDER BY 1`,
        [prefix],
      );
      expect(readers.rows.map((r: { rolname: string }) => r.rolname)).toEqual(
        names.map(name => `${prefix}${name.replace(/-/g, '_')}`),
      );
    } finally {
      await cleanup();
    }
  });

  it('let two consumers of one input build at once, and never block the input’s readers', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases, {
      limits: { lockTimeoutMs: 600_000 },
    });
    try {
      await provisionDemo(engine);
      const customers = demoRequest('marketing-customer-360');
      await engine.apply(
        copyOf(
          {
            product: {
              ...customers.product,
              spec: {
                ...customers.product.spec,
                inputs: [customers.product.spec.inputs![0]],
              },
            },
            ports: [
              {
                ...customers.ports[0],
                spec: {
                  ...customers.ports[0].spec,
                  name: 'emails',
                  model:
                    "SELECT c.id AS customer_id, c.email FROM {{ source('sales-crm-customers', 'customers') }} AS c",
                  columns: [
                    { name: 'customer_id', type: 'INTEGER' },
                    { name: 'email', type: 'VARCHAR(100)' },
                  ],
                },
              },
            ],
            inputs: customers.inputs!.filter(
              i => i.product === 'sales-crm-customers',
            ),
          },
          'customer-emails',
        ),
      );

      const lock = await holdLock(
        knex,
        'LOCK TABLE logistics_wms.shipments IN ACCESS EXCLUSIVE MODE',
      );
      const consumerA = engine.refresh(
        'marketing-customer-360',
        'customer_activity',
      );
      const settledA = settledState(consumerA);
      const [blocked] = await buildsWaitingForLocks(knex, 1);
      const held = await knex.raw(
        `SELECT mode, count(*)::int AS n FROM pg_catalog.pg_locks
          WHERE pid = ? AND locktype = 'advisory' AND granted GROUP BY mode ORDER BY mode`,
        [blocked.pid],
      );
      // Its own product exclusively, its three inputs in shared mode.
      expect(held.rows).toEqual([
        { mode: 'ExclusiveLock', n: 1 },
        { mode: 'ShareLock', n: 3 },
      ]);

      const b = await engine.refresh('customer-emails', 'emails');
      expect(b).toMatchObject({ built: true, rowCount: 500 });
      const read = await knex.raw(
        'SELECT count(*)::int AS n FROM sales_crm.customers',
      );
      expect(read.rows[0].n).toBe(500);
      expect(settledA()).toBe(false);

      await lock.release();
      expect(await consumerA).toMatchObject({ built: true });
    } finally {
      await cleanup();
    }
  });
});
