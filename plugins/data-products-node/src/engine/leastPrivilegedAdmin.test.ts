import { Knex } from 'knex';
import {
  connectAs,
  createTestWarehouse,
  createWarehouseTestDatabases,
  DEMO_ORDER,
  dropRoles,
  provisionDemo,
} from '../testUtils';
import { RoleNames } from './spec';
import { WarehouseEngine } from './WarehouseEngine';

jest.setTimeout(120_000);

/** How `user` relates to each product role of the prefix, by pg_has_role. */
async function membership(knex: Knex, user: string, prefix: string) {
  const result = await knex.raw(
    `SELECT pg_has_role(?, rolname, 'USAGE') AS usage, pg_has_role(?, rolname, 'MEMBER') AS member
       FROM pg_roles
      WHERE starts_with(rolname, ?) AND rolname NOT LIKE '%\\_\\_%'
        AND NOT rolcanlogin
      ORDER BY rolname`,
    [user, user, prefix],
  );
  return result.rows;
}

describe('WarehouseEngine with a least-privileged admin', () => {
  const databases = createWarehouseTestDatabases();

  it('acts as product roles through a NOINHERIT engine role that holds none of their rights', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await provisionDemo(engine);
      const engineRole = new RoleNames(prefix).engine;
      // A superuser holds every right anyway; what matters is that the
      // engine role passes none on, on every supported version.
      expect(await membership(knex, engineRole, prefix)).toEqual(
        DEMO_ORDER.map(() => ({ usage: false, member: true })),
      );
      const attributes = await knex.raw(
        'SELECT rolinherit, rolcanlogin FROM pg_roles WHERE rolname = ?',
        [engineRole],
      );
      expect(attributes.rows).toEqual([
        { rolinherit: false, rolcanlogin: false },
      ]);
    } finally {
      await cleanup();
    }
  });

  it('provisions, grants and decommissions as a CREATEROLE user that is not a superuser', async () => {
    const { knex, prefix, cleanup } = await createTestWarehouse(databases);
    const admin = `${prefix}admin`;
    // A warehouse the admin sets up itself: no metadata, no engine role yet.
    await knex.raw('DROP SCHEMA dataproducts_meta CASCADE');
    await dropRoles(knex, prefix);
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
    const adminKnex = connectAs(knex, admin, 'bench');
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
      // It can act as each product role, without holding the role's rights.
      expect(await membership(knex, admin, prefix)).toEqual(
        DEMO_ORDER.map(() => ({ usage: false, member: true })),
      );
      for (const name of [...DEMO_ORDER].reverse()) {
        await engine.decommission(name);
      }
      const roles = await knex.raw(
        'SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?)',
        [prefix],
      );
      expect(roles.rows.map((r: any) => r.rolname).sort()).toEqual(
        [admin, new RoleNames(prefix).engine].sort(),
      );
    } finally {
      await adminKnex.destroy();
      await cleanup();
    }
  });
});
