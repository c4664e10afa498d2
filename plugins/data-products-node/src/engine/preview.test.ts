import {
  catalogSnapshot,
  createTestWarehouse,
  createWarehouseTestDatabases,
  provisionDemo,
  type TestWarehouse,
} from '../testUtils';
import { asPortReader, EXACT_COUNT_LIMIT, provisioned } from './preview';
import { RoleNames } from './spec';

jest.setTimeout(120_000);

describe('port preview and size', () => {
  let warehouse: TestWarehouse;
  // Before TestDatabases registers its own clean-up, which closes the connections.
  afterAll(() => warehouse?.cleanup());
  const databases = createWarehouseTestDatabases();

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 50 });
    await provisionDemo(warehouse.engine);
  });

  const customerColumns = ['id', 'first_name', 'last_name', 'signup_date'];

  it('reads the first 20 rows as text, never reading a masked column, and leaves nothing behind', async () => {
    const before = await catalogSnapshot(warehouse.knex, warehouse.prefix);
    const preview = await warehouse.engine.preview(
      'sales-crm-customers',
      'customers',
      { reveal: customerColumns },
    );
    expect(preview.object).toBe('sales_crm.customers');
    expect(preview.limit).toBe(20);
    expect(preview.rows).toHaveLength(20);
    expect(preview.columns).toEqual([
      { name: 'id', type: 'integer', masked: false },
      { name: 'first_name', type: 'character varying(50)', masked: false },
      { name: 'last_name', type: 'character varying(50)', masked: false },
      { name: 'email', type: 'character varying(100)', masked: true },
      { name: 'signup_date', type: 'date', masked: false },
    ]);
    expect(preview.rows.every(row => row[3] === null)).toBe(true);
    // No email of any customer is in the answer.
    const { rows: emails } = await warehouse.knex.raw(
      'SELECT email FROM sources.crm_customers',
    );
    const text = JSON.stringify(preview);
    expect(emails.length).toBeGreaterThan(0);
    for (const { email } of emails) {
      expect(text).not.toContain(email);
    }
    expect(preview.rows[0][4]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The transient reader role and the transaction are gone.
    expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
      before,
    );
  });

  it('reads a view port live, as the port reader', async () => {
    const preview = await warehouse.engine.preview(
      'sales-erp-orders',
      'orders',
      {
        reveal: ['order_id', 'total_amount'],
      },
    );
    expect(preview.object).toBe('sales_erp.orders');
    expect(preview.rows.length).toBeGreaterThan(0);
    const total = preview.columns.findIndex(c => c.name === 'total_amount');
    expect(preview.rows[0][total]).toMatch(/^\d+\.\d{2}$/);
  });

  it('reads as a role that can read only that port', async () => {
    const roles = new RoleNames(warehouse.prefix);
    const read = {
      roles,
      product: 'sales-crm-customers',
      port: 'customers',
      timeoutMs: 10_000,
    };
    const rows = await provisioned(warehouse.knex, read);
    const attempt = (sql: string) =>
      asPortReader(warehouse.knex, read, rows, trx => trx.raw(sql));
    await expect(
      attempt('SELECT count(*) FROM sales_crm.customers'),
    ).resolves.toBeDefined();
    for (const other of [
      'sales_erp.orders',
      'logistics_wms.shipments',
      'marketing_360.customer_activity',
      'sources.crm_customers',
    ]) {
      await expect(attempt(`SELECT 1 FROM ${other} LIMIT 1`)).rejects.toThrow(
        /permission denied/,
      );
    }
    // Read only: even what the reader may read cannot be changed.
    await expect(attempt('DELETE FROM sales_crm.customers')).rejects.toThrow(
      /read-only transaction/,
    );
    const { rows: count } = await warehouse.knex.raw(
      'SELECT count(*)::int AS n FROM sales_crm.customers',
    );
    expect(count[0].n).toBe(50);
  });

  it('counts small tables exactly and gives the size of tables, not views', async () => {
    const table = await warehouse.engine.portSize(
      'sales-crm-customers',
      'customers',
    );
    expect(table).toEqual({
      object: 'sales_crm.customers',
      type: 'postgres-table',
      rows: 50,
      rowsExact: true,
      bytes: expect.any(Number),
    });
    const { rows } = await warehouse.knex.raw(
      "SELECT pg_total_relation_size('sales_crm.customers')::float8 AS b",
    );
    expect(table.bytes).toBe(rows[0].b);
    const view = await warehouse.engine.portSize('sales-erp-orders', 'orders');
    expect(view.type).toBe('postgres-view');
    expect(view.bytes).toBeUndefined();
    expect(view.rowsExact).toBe(true);
    expect(view.rows).toBeGreaterThan(0);
  });

  it('reports the estimate of a table above the exact count limit', async () => {
    await warehouse.knex.raw(
      `UPDATE pg_catalog.pg_class SET reltuples = ${
        EXACT_COUNT_LIMIT * 3
      } WHERE oid = 'logistics_wms.shipments'::regclass`,
    );
    const size = await warehouse.engine.portSize(
      'logistics-wms-shipments',
      'shipments',
    );
    expect(size).toMatchObject({
      rows: EXACT_COUNT_LIMIT * 3,
      rowsExact: false,
    });
  });

  it('refuses hostile names before any SQL runs and answers 404 for ports never provisioned', async () => {
    await expect(
      warehouse.engine.preview('x"; DROP SCHEMA sales_crm; --', 'customers', {
        reveal: [],
      }),
    ).rejects.toThrow(/Invalid data product name "x\\"; DROP SCHEMA/);
    await expect(
      warehouse.engine.preview('sales-crm-customers', 'customers"--', {
        reveal: [],
      }),
    ).rejects.toThrow(/Invalid output port name/);
    await expect(
      warehouse.engine.portSize('sales-crm-customers', 'nothing'),
    ).rejects.toThrow(
      "Output port 'nothing' of data product 'sales-crm-customers' is not provisioned",
    );
  });
});
