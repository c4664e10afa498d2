import knexFactory from 'knex';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  createTestWarehouse,
  DEMO_ORDER,
  provisionDemo,
} from '../__testUtils__/warehouse';
import { WarehouseEngine } from './WarehouseEngine';

jest.setTimeout(120_000);

// The same server TestDatabases uses (the tests need it anyway).
const server =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES18_CONNECTION_STRING ?? '';

describe('WarehouseEngine with a least-privileged admin', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  it('provisions, grants and decommissions as a CREATEROLE user that is not a superuser', async () => {
    const { knex, prefix, cleanup } = await createTestWarehouse(databases);
    const admin = `${prefix}admin`;
    await knex.raw('DROP SCHEMA dataproducts_meta CASCADE');
    const database = (await knex.raw('SELECT current_database() AS db')).rows[0]
      .db;
    await knex.raw(`CREATE ROLE "${admin}" LOGIN PASSWORD 'bench' CREATEROLE`);
    await knex.raw(`GRANT CREATE ON DATABASE "${database}" TO "${admin}"`);
    await knex.raw(
      `GRANT USAGE ON SCHEMA sources TO "${admin}" WITH GRANT OPTION`,
    );
    await knex.raw(
      `GRANT SELECT ON ALL TABLES IN SCHEMA sources TO "${admin}" WITH GRANT OPTION`,
    );
    const url = new URL(server);
    url.username = admin;
    url.password = 'bench';
    url.pathname = `/${database}`;
    const adminKnex = knexFactory({ client: 'pg', connection: url.toString() });
    try {
      const engine = new WarehouseEngine({
        knex: adminKnex,
        rolePrefix: prefix,
      });
      const results = await provisionDemo(engine);
      expect(results[3].ports[0].rowCount).toBeGreaterThan(0);
      const again = await provisionDemo(engine);
      expect(again.every(r => r.plan.steps.length === 0)).toBe(true);
      const status = await engine.inspect('marketing-customer-360');
      expect(status.ports[0]).toMatchObject({ exists: true, drift: [] });
      expect(status.ports[0].columns).toHaveLength(8);
      await engine.refresh('marketing-customer-360', 'customer_activity');
      await engine.revoke({
        product: 'sales-erp-orders',
        port: 'orders',
        consumer: 'marketing-customer-360',
      });
      await engine.grant({
        product: 'sales-erp-orders',
        port: 'orders',
        consumer: 'marketing-customer-360',
      });
      // The admin itself cannot read the products' data.
      await expect(
        adminKnex.raw('SELECT count(*) FROM marketing_360.customer_activity'),
      ).rejects.toThrow(/permission denied/);
      for (const name of [...DEMO_ORDER].reverse()) {
        await engine.decommission(name);
      }
      const roles = await knex.raw(
        'SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?)',
        [prefix],
      );
      expect(roles.rows.map((r: any) => r.rolname)).toEqual([admin]);
    } finally {
      await adminKnex.destroy();
      await cleanup();
    }
  });
});
