import { Knex } from 'knex';
import {
  connectAs,
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
  dropRoles,
  provisionDemo,
} from '../testUtils';
import { checkGroup } from './groupRoles';
import { escapeIdentifier } from './sql';
import { WarehouseEngine } from './WarehouseEngine';

jest.setTimeout(120_000);

/** The direct members of a role, from pg_auth_members. */
async function members(knex: Knex, role: string): Promise<string[]> {
  const result = await knex.raw(
    `SELECT u.rolname FROM pg_catalog.pg_auth_members m
       JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
       JOIN pg_catalog.pg_roles u ON u.oid = m.member
      WHERE r.rolname = ? ORDER BY 1`,
    [role],
  );
  return result.rows.map((r: { rolname: string }) => r.rolname);
}

async function roleOf(knex: Knex, name: string) {
  const result = await knex.raw(
    `SELECT rolcanlogin, rolinherit, pg_catalog.shobj_description(oid, 'pg_authid') AS comment
       FROM pg_catalog.pg_roles WHERE rolname = ?`,
    [name],
  );
  return result.rows[0];
}

const marketing = { kind: 'group', name: 'marketing' } as const;

describe('group consumers', () => {
  const databases = createWarehouseTestDatabases();

  it('names group roles within 63 bytes, refusing names that are not entity names', () => {
    expect(checkGroup({ kind: 'group', name: 'Data-Team.eu' }, 'dp_')).toEqual({
      ref: 'group:default/data-team.eu',
      role: 'dp_grp_data_team_eu',
    });
    expect(
      checkGroup({ kind: 'group', name: 'ops', namespace: 'logistics' }, 'dp_'),
    ).toEqual({ ref: 'group:logistics/ops', role: 'dp_grp_logistics__ops' });
    const long = checkGroup({ kind: 'group', name: 'g'.repeat(63) }, 'dp_');
    expect(Buffer.byteLength(long.role)).toBe(63);
    expect(() =>
      checkGroup({ kind: 'group', name: 'x"; DROP ROLE y; --' }, 'dp_'),
    ).toThrow(/Invalid group name "x\\"; DROP ROLE y; --"/);
  });

  it("grants a group's NOLOGIN role the reader role, which a login mapped into it can use", async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    const login = `${prefix}mia`;
    let asMia: Knex | undefined;
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      const reader = `${prefix}sales_crm__customers_r`;
      const groupRole = `${prefix}grp_marketing`;
      const request = { product: 'sales-crm-customers', port: 'customers' };

      expect(await engine.grant({ ...request, consumer: marketing })).toEqual({
        changed: true,
      });
      expect(await members(knex, reader)).toContain(groupRole);
      expect(await roleOf(knex, groupRole)).toEqual({
        rolcanlogin: false,
        rolinherit: true,
        comment: 'Data product portal role of group:default/marketing',
      });
      expect(await engine.grant({ ...request, consumer: marketing })).toEqual({
        changed: false,
      });

      // What an administrator does to map a login into the group.
      await knex.raw(
        `CREATE ROLE ${escapeIdentifier(login)} LOGIN PASSWORD 'pw'`,
      );
      await knex.raw(
        `GRANT ${escapeIdentifier(groupRole)} TO ${escapeIdentifier(login)}`,
      );
      asMia = connectAs(knex, login, 'pw');
      const rows = await asMia.raw(
        'SELECT count(*)::int AS n FROM sales_crm.customers',
      );
      expect(rows.rows[0].n).toBeGreaterThan(0);

      expect(await engine.readers('sales-crm-customers', 'customers')).toEqual([
        { role: groupRole, group: 'group:default/marketing', recorded: false },
      ]);
      expect(await engine.readable([marketing, 'sales-crm-customers'])).toEqual(
        [
          {
            consumer: 'group:default/marketing',
            product: 'sales-crm-customers',
            port: 'customers',
          },
        ],
      );

      expect(await engine.revoke({ ...request, consumer: marketing })).toEqual({
        changed: true,
      });
      expect(await members(knex, reader)).not.toContain(groupRole);
      expect(await roleOf(knex, groupRole)).toBeDefined();
      await expect(
        asMia.raw('SELECT count(*) FROM sales_crm.customers'),
      ).rejects.toThrow(/permission denied/);
      expect(await engine.revoke({ ...request, consumer: marketing })).toEqual({
        changed: false,
      });
    } finally {
      await asMia?.destroy();
      await knex.raw(`DROP ROLE IF EXISTS ${escapeIdentifier(login)}`);
      await cleanup();
    }
  });

  it('creates a new group role once when two grants race for it', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      await engine.apply(demoRequest('sales-erp-orders'));
      const results = await Promise.all([
        engine.grant({
          product: 'sales-crm-customers',
          port: 'customers',
          consumer: { kind: 'group', name: 'analysts' },
        }),
        engine.grant({
          product: 'sales-erp-orders',
          port: 'orders',
          consumer: { kind: 'group', name: 'analysts' },
        }),
      ]);
      expect(results).toEqual([{ changed: true }, { changed: true }]);
      const readable = await engine.readable([
        { kind: 'group', name: 'analysts' },
      ]);
      expect(readable.map(r => `${r.product}/${r.port}`)).toEqual([
        'sales-crm-customers/customers',
        'sales-erp-orders/orders',
      ]);
      expect(await members(knex, `${prefix}sales_erp__orders_r`)).toContain(
        `${prefix}grp_analysts`,
      );
    } finally {
      await cleanup();
    }
  });

  it("refuses a role that is not the group's, and changes nothing", async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      const request = { product: 'sales-crm-customers', port: 'customers' };
      await engine.grant({
        ...request,
        consumer: { kind: 'group', name: 'data-team' },
      });
      await expect(
        engine.grant({
          ...request,
          consumer: { kind: 'group', name: 'data_team' },
        }),
      ).rejects.toThrow(
        `The role '${prefix}grp_data_team' of group:default/data_team is already the role of group:default/data-team`,
      );

      await knex.raw(`CREATE ROLE ${escapeIdentifier(`${prefix}grp_ops`)}`);
      await expect(
        engine.grant({ ...request, consumer: { kind: 'group', name: 'ops' } }),
      ).rejects.toThrow(
        `Role '${prefix}grp_ops' exists but is not the portal's NOLOGIN role of group:default/ops`,
      );
      expect(await members(knex, `${prefix}sales_crm__customers_r`)).toEqual([
        `${prefix}grp_data_team`,
      ]);
    } finally {
      await cleanup();
    }
  });

  it('lists product consumers and grants made by hand among the readers', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await provisionDemo(engine);
      await knex.raw(
        `CREATE ROLE ${escapeIdentifier(`${prefix}analyst`)} NOLOGIN`,
      );
      await knex.raw(
        `GRANT ${escapeIdentifier(
          `${prefix}sales_crm__customers_r`,
        )} TO ${escapeIdentifier(`${prefix}analyst`)}`,
      );
      expect(await engine.readers('sales-crm-customers', 'customers')).toEqual([
        { role: `${prefix}analyst`, recorded: false },
        {
          role: `${prefix}marketing_360`,
          product: 'marketing-customer-360',
          recorded: true,
        },
      ]);
      await expect(
        engine.readers('sales-crm-customers', 'nope'),
      ).rejects.toThrow(
        "Output port 'nope' of data product 'sales-crm-customers' is not provisioned",
      );
    } finally {
      await cleanup();
    }
  });

  it('makes group roles as a CREATEROLE user that is not a superuser, whose own memberships are no readers', async () => {
    const { knex, prefix, cleanup } = await createTestWarehouse(databases);
    const admin = `${prefix}admin`;
    await knex.raw('DROP SCHEMA dataproducts_meta CASCADE');
    await dropRoles(knex, prefix);
    const database = (await knex.raw('SELECT current_database() AS db')).rows[0]
      .db;
    await knex.raw(`CREATE ROLE "${admin}" LOGIN PASSWORD 'pw' CREATEROLE`);
    await knex.raw(`GRANT CREATE ON DATABASE "${database}" TO "${admin}"`);
    await knex.raw(
      `GRANT USAGE ON SCHEMA sources TO "${admin}" WITH GRANT OPTION`,
    );
    await knex.raw(
      `GRANT SELECT ON ALL TABLES IN SCHEMA sources TO "${admin}" WITH GRANT OPTION`,
    );
    const adminKnex = connectAs(knex, admin, 'pw');
    try {
      const engine = new WarehouseEngine({
        knex: adminKnex,
        rolePrefix: prefix,
      });
      await engine.apply(demoRequest('sales-crm-customers'));
      const request = {
        product: 'sales-crm-customers',
        port: 'customers',
        consumer: marketing,
      };
      await engine.grant(request);
      // From PostgreSQL 16 the admin holds every role it created with
      // ADMIN OPTION alone: that membership reads nothing and is not listed.
      expect(await engine.readers('sales-crm-customers', 'customers')).toEqual([
        {
          role: `${prefix}grp_marketing`,
          group: 'group:default/marketing',
          recorded: false,
        },
      ]);
      await engine.revoke(request);
      expect(await engine.readers('sales-crm-customers', 'customers')).toEqual(
        [],
      );

      // A membership a superuser granted by hand: from PostgreSQL 16 the
      // admin's REVOKE leaves it in place, and the revoke says so.
      const reader = escapeIdentifier(`${prefix}sales_crm__customers_r`);
      const groupRole = escapeIdentifier(`${prefix}grp_marketing`);
      await knex.raw(`GRANT ${reader} TO ${groupRole}`);
      const version = await knex.raw(
        "SELECT current_setting('server_version_num')::int AS num",
      );
      const outcome = await engine
        .revoke(request)
        .catch((error: Error) => error.message);
      expect(outcome).toEqual(
        version.rows[0].num >= 160000
          ? `group:default/marketing still reads sales-crm-customers/customers: role '${prefix}grp_marketing' was made a member of '${prefix}sales_crm__customers_r' by 'postgres', not by the portal. Revoke it in PostgreSQL as that role.`
          : { changed: true },
      );
      await knex.raw(`REVOKE ${reader} FROM ${groupRole}`);
      await engine.decommission('sales-crm-customers');
    } finally {
      await adminKnex.destroy();
      await cleanup();
    }
  });
});
