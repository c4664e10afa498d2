import { TestDatabases } from '@backstage/backend-test-utils';
import { seedSourceData } from './seed';
import { SOURCE_SCHEMA, SOURCE_TABLES } from './sourceTables';

jest.setTimeout(120_000);

describe('seedSourceData', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  it('creates exactly the declared tables, columns, types and keys', async () => {
    const knex = await databases.init('POSTGRES_18');
    await seedSourceData(knex);

    const { rows } = await knex.raw(
      `SELECT c.relname AS table, a.attname AS column,
              format_type(a.atttypid, a.atttypmod) AS type,
              col_description(c.oid, a.attnum) AS description
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ? AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`,
      [SOURCE_SCHEMA],
    );
    const expected = SOURCE_TABLES.flatMap(table =>
      table.columns.map(c => ({
        table: table.name,
        column: c.name,
        type: c.formatType,
        description: c.description,
      })),
    ).sort((a, b) => a.table.localeCompare(b.table));
    expect(rows).toEqual(expected);

    const keys = await knex.raw(
      `SELECT conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE contype = 'p' AND connamespace = ?::regnamespace
        ORDER BY 1`,
      [SOURCE_SCHEMA],
    );
    expect(keys.rows).toEqual([
      { table: 'sources.crm_customers', def: 'PRIMARY KEY (id)' },
      { table: 'sources.erp_orders', def: 'PRIMARY KEY (order_id)' },
      { table: 'sources.wms_shipments', def: 'PRIMARY KEY (shipment_id)' },
    ]);
  });

  it('gives identical rows on every run', async () => {
    const knex = await databases.init('POSTGRES_18');
    const digest = async () => {
      const { rows } = await knex.raw(`
        SELECT (SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM sources.crm_customers t) AS customers,
               (SELECT md5(string_agg(t::text, '|' ORDER BY order_id)) FROM sources.erp_orders t) AS orders,
               (SELECT md5(string_agg(t::text, '|' ORDER BY shipment_id)) FROM sources.wms_shipments t) AS shipments`);
      return rows[0];
    };
    const first = await seedSourceData(knex, { customers: 2000 });
    const before = await digest();
    const second = await seedSourceData(knex, { customers: 2000, reset: true });
    expect(second).toEqual(first);
    expect(await digest()).toEqual(before);
  });

  it('looks like real business data', async () => {
    const knex = await databases.init('POSTGRES_18');
    const result = await seedSourceData(knex, { customers: 1000 });
    expect(result.customers).toBe(1000);

    const { rows } = await knex.raw(`
      SELECT
        (SELECT count(*)::int FROM sources.crm_customers c
          WHERE NOT EXISTS (SELECT 1 FROM sources.erp_orders o WHERE o.customer_id = c.id)) AS customers_without_orders,
        (SELECT count(*)::int FROM sources.erp_orders o
          WHERE NOT EXISTS (SELECT 1 FROM sources.wms_shipments s WHERE s.order_ref = o.order_id)) AS orders_without_shipments,
        (SELECT count(*)::int FROM sources.wms_shipments s JOIN sources.erp_orders o ON o.order_id = s.order_ref
          WHERE s.shipped_date < o.order_date) AS shipped_before_ordered,
        (SELECT count(*)::int FROM sources.erp_orders o JOIN sources.crm_customers c ON c.id = o.customer_id
          WHERE o.order_date < c.signup_date) AS ordered_before_signup,
        (SELECT array_agg(DISTINCT delivery_status ORDER BY delivery_status) FROM sources.wms_shipments) AS statuses`);
    expect(rows[0].customers_without_orders).toBeGreaterThan(0);
    expect(rows[0].orders_without_shipments).toBeGreaterThan(0);
    expect(rows[0].shipped_before_ordered).toBe(0);
    expect(rows[0].ordered_before_signup).toBe(0);
    expect(rows[0].statuses).toEqual(['Delivered', 'In Transit', 'Shipped']);
  });

  it('leaves loaded data alone unless reset, and touches nothing outside sources', async () => {
    const knex = await databases.init('POSTGRES_18');
    await knex.raw('CREATE SCHEMA elsewhere');
    await knex.raw('CREATE TABLE elsewhere.keep (id int)');
    await knex.raw('INSERT INTO elsewhere.keep VALUES (1)');
    await seedSourceData(knex, { customers: 100 });
    await knex.raw(
      'CREATE VIEW elsewhere.customer_names AS SELECT first_name FROM sources.crm_customers',
    );

    const again = await seedSourceData(knex, { customers: 500 });
    expect(again).toMatchObject({ loaded: false, customers: 100 });

    const reset = await seedSourceData(knex, { customers: 500, reset: true });
    expect(reset).toMatchObject({ loaded: true, customers: 500 });
    const { rows } = await knex.raw(
      'SELECT (SELECT count(*)::int FROM elsewhere.keep) AS kept, (SELECT count(*)::int FROM elsewhere.customer_names) AS names',
    );
    expect(rows[0]).toEqual({ kept: 1, names: 500 });
  });

  it('refuses a nonsensical scale with a clear error', async () => {
    const knex = await databases.init('POSTGRES_18');
    await expect(seedSourceData(knex, { customers: -5 })).rejects.toThrow(
      'customers must be a whole number from 1 to 50000000, got -5',
    );
  });
});
