import {
  catalogSnapshot,
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
} from '../testUtils';

jest.setTimeout(120_000);

describe('decommission', () => {
  const databases = createWarehouseTestDatabases();

  it('counts a group that reads a port as a consumer, and removes schema, roles and memberships once it is gone', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
      { customers: 20 },
    );
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      const access = {
        product: 'sales-crm-customers',
        port: 'customers',
        consumer: { kind: 'group', name: 'marketing' },
      } as const;
      await engine.grant(access);
      const before = await catalogSnapshot(knex, prefix);

      await expect(engine.decommission('sales-crm-customers')).rejects.toThrow(
        "Data product 'sales-crm-customers' is still read by 'group:default/marketing'. Revoke their grants first, or decommission with force.",
      );
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);

      await engine.revoke(access);
      await expect(
        engine.decommission('sales-crm-customers'),
      ).resolves.toMatchObject({ removed: true, schema: 'sales_crm' });
      const schemas = await knex.raw(
        "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'sales_crm'",
      );
      expect(schemas.rows).toEqual([]);
      const roles = await knex.raw(
        'SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(?)',
        [[`${prefix}sales_crm`, `${prefix}sales_crm__customers_r`]],
      );
      expect(roles.rows).toEqual([]);
      const memberships = await knex.raw(
        `SELECT 1 FROM pg_catalog.pg_auth_members m
           JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
           JOIN pg_catalog.pg_roles u ON u.oid = m.member
          WHERE starts_with(r.rolname, ?) OR starts_with(u.rolname, ?)`,
        [`${prefix}sales_crm`, `${prefix}sales_crm`],
      );
      expect(memberships.rows).toEqual([]);
    } finally {
      await cleanup();
    }
  });
});
