import { Knex } from 'knex';
import {
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
  loadDemo,
  provisionDemo,
  TestWarehouse,
} from '../testUtils';
import { COLUMN_LINEAGE_BUILDS_KEPT } from './columnLineageRecords';

jest.setTimeout(180_000);

const ACTIVITY = {
  product: 'marketing-customer-360',
  port: 'customer_activity',
};

/** The stored lineage of a port's column: `relation.field TYPE/SUBTYPE,...` each. */
async function storedInputs(
  knex: Knex,
  product: string,
  port: string,
  column: string,
  type?: 'DIRECT' | 'INDIRECT',
): Promise<string[]> {
  const rows = await knex('dataproducts_meta.column_lineage')
    .where({ product, port, column_name: column })
    .orderBy(['input_relation', 'input_field']);
  return rows
    .map(row => ({
      field: `${row.input_relation}.${row.input_field}`,
      transformations: (
        row.transformations as Array<{ type: string; subtype: string }>
      ).filter(t => !type || t.type === type),
    }))
    .filter(row => row.transformations.length > 0)
    .map(
      row =>
        `${row.field} ${row.transformations
          .map(t => `${t.type}/${t.subtype}`)
          .join(',')}`,
    );
}

/** The input columns PostgreSQL records that a view's rewrite rule reads, `schema.table.column`. */
async function viewDependencies(
  knex: Knex,
  schema: string,
  view: string,
): Promise<string[]> {
  const { rows } = await knex.raw(
    `SELECT DISTINCT n.nspname || '.' || c.relname || '.' || a.attname AS field
       FROM pg_depend d
       JOIN pg_rewrite r ON r.oid = d.objid
       JOIN pg_class c ON c.oid = d.refobjid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE d.classid = 'pg_rewrite'::regclass
        AND r.ev_class = format('%I.%I', ?::text, ?::text)::regclass
        AND d.refobjsubid > 0
        AND d.refobjid <> r.ev_class
      ORDER BY 1`,
    [schema, view],
  );
  return rows.map((row: { field: string }) => row.field);
}

/** Every input column a port's stored lineage names, `schema.table.column`. */
async function storedFields(
  knex: Knex,
  product: string,
  port: string,
): Promise<string[]> {
  const rows = await knex('dataproducts_meta.column_lineage')
    .where({ product, port })
    .distinct('input_relation', 'input_field');
  return rows.map(row => `${row.input_relation}.${row.input_field}`).sort();
}

describe('column lineage recorded by builds', () => {
  let warehouse: TestWarehouse;
  // Before the databases' own afterAll, which closes the connection.
  afterAll(async () => {
    await warehouse?.cleanup();
  });
  const databases = createWarehouseTestDatabases();

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 50 });
    await provisionDemo(warehouse.engine);
  });

  it("records the demo's customer_activity lineage, column by column", async () => {
    const { knex } = warehouse;
    const direct = (column: string) =>
      storedInputs(knex, ACTIVITY.product, ACTIVITY.port, column, 'DIRECT');
    expect(await direct('customer_name')).toEqual([
      'sales_crm.customers.first_name DIRECT/TRANSFORMATION',
      'sales_crm.customers.last_name DIRECT/TRANSFORMATION',
    ]);
    expect(await direct('order_total')).toEqual([
      'sales_erp.orders.total_amount DIRECT/IDENTITY',
    ]);
    expect(await direct('delivery_status')).toEqual([
      'logistics_wms.shipments.delivery_status DIRECT/IDENTITY',
    ]);
    expect(await direct('account_age_days')).toEqual([
      'sales_crm.customers.signup_date DIRECT/TRANSFORMATION',
    ]);
    expect(await direct('days_from_order_to_ship')).toEqual([
      'logistics_wms.shipments.shipped_date DIRECT/TRANSFORMATION',
      'sales_erp.orders.order_date DIRECT/TRANSFORMATION',
    ]);
    // The join keys and the latest-shipment pick shape every row: each
    // column lists them as INDIRECT.
    expect(
      await storedInputs(
        knex,
        ACTIVITY.product,
        ACTIVITY.port,
        'customer_name',
        'INDIRECT',
      ),
    ).toEqual([
      'logistics_wms.shipments.order_ref INDIRECT/JOIN,INDIRECT/GROUP_BY,INDIRECT/SORT',
      'logistics_wms.shipments.shipment_id INDIRECT/SORT',
      'logistics_wms.shipments.shipped_date INDIRECT/SORT',
      'sales_crm.customers.id INDIRECT/JOIN',
      'sales_erp.orders.customer_id INDIRECT/JOIN',
      'sales_erp.orders.order_id INDIRECT/JOIN',
    ]);
    const refs = await knex('dataproducts_meta.column_lineage')
      .where({
        ...ACTIVITY,
        column_name: 'customer_name',
        input_field: 'first_name',
      })
      .first('port_ref', 'input_product', 'input_port', 'input_ref');
    expect(refs).toEqual({
      port_ref: 'outputport:default/marketing-customer-360-customer-activity',
      input_product: 'sales-crm-customers',
      input_port: 'customers',
      input_ref: 'outputport:default/sales-crm-customers-customers',
    });
  });

  it('records a source-aligned port column to column from its source table', async () => {
    expect(
      await storedInputs(
        warehouse.knex,
        'sales-erp-orders',
        'orders',
        'total_amount',
      ),
    ).toEqual(['sources.erp_orders.total_amount DIRECT/IDENTITY']);
    const source = await warehouse
      .knex('dataproducts_meta.column_lineage')
      .where({ product: 'sales-erp-orders', port: 'orders' })
      .whereNotNull('input_product');
    expect(source).toEqual([]);
  });

  it('names exactly the columns pg_depend records for view ports', async () => {
    const { knex, engine } = warehouse;
    // The demo's real-time orders are a view over the ERP's table.
    expect(await storedFields(knex, 'sales-erp-orders', 'orders')).toEqual(
      await viewDependencies(knex, 'sales_erp', 'orders'),
    );
    // customer_activity built as a view: PostgreSQL records what it reads.
    const request = demoRequest('marketing-customer-360');
    const asView = {
      ...request,
      ports: request.ports.map(p => ({
        ...p,
        spec: { ...p.spec, type: 'postgres-view' as const },
      })),
    };
    await engine.apply(asView);
    const recorded = await viewDependencies(
      knex,
      'marketing_360',
      'customer_activity',
    );
    expect(recorded).toContain('sales_crm.customers.first_name');
    expect(await storedFields(knex, ACTIVITY.product, ACTIVITY.port)).toEqual(
      recorded,
    );
    await engine.apply(request);
  });

  it('walks upstream to source-table columns and downstream to consumer columns', async () => {
    const { engine } = warehouse;
    const up = await engine.columnLineage({
      ...ACTIVITY,
      columns: ['customer_name'],
      upstream: 5,
      downstream: 0,
    });
    const fields = (product: string, port: string, column: string) =>
      up.hops
        .filter(
          h =>
            h.product === product &&
            h.port === port &&
            h.column === column &&
            h.transformations.some(t => t.type === 'DIRECT'),
        )
        .map(h => `${h.relation}.${h.field}`)
        .sort();
    expect(fields(ACTIVITY.product, ACTIVITY.port, 'customer_name')).toEqual([
      'sales_crm.customers.first_name',
      'sales_crm.customers.last_name',
    ]);
    expect(fields('sales-crm-customers', 'customers', 'first_name')).toEqual([
      'sources.crm_customers.first_name',
    ]);
    expect(up.truncated).toBe(false);

    const impact = await engine.columnImpact(
      'sales-crm-customers',
      'customers',
      'email',
    );
    expect(
      impact.consumers.filter(c =>
        c.transformations.some(t => t.type === 'DIRECT'),
      ),
    ).toEqual([
      {
        product: ACTIVITY.product,
        port: ACTIVITY.port,
        portRef: 'outputport:default/marketing-customer-360-customer-activity',
        column: 'customer_email',
        hops: 1,
        transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
      },
    ]);
    const joined = await engine.columnImpact(
      'sales-crm-customers',
      'customers',
      'id',
    );
    expect(joined.consumers.map(c => c.column).sort()).toEqual(
      loadDemo()
        .ports.find(p => p.spec.name === 'customer_activity')!
        .spec.columns.map(c => c.name)
        .sort(),
    );
  });

  it('refuses a column the port does not have, naming it and the columns it has', async () => {
    await expect(
      warehouse.engine.columnImpact(
        'sales-crm-customers',
        'customers',
        'e mail',
      ),
    ).rejects.toThrow(
      "Output port 'customers' of data product 'sales-crm-customers' has no column 'e mail'; its columns are id, first_name, last_name, email, signup_date",
    );
    await expect(
      warehouse.engine.columnLineage({
        product: 'sales-crm-customers',
        port: 'customers',
        upstream: 99,
        downstream: 0,
      }),
    ).rejects.toThrow("Invalid upstream depth '99'");
  });

  it('records nothing for a failed build and keeps the last builds of each port', async () => {
    const { knex, engine } = warehouse;
    // Ordered by the primary key: without it the two reads may take
    // different plans (autovacuum analyses in between) and differ in order.
    const stored = () =>
      knex('dataproducts_meta.column_lineage')
        .where(ACTIVITY)
        .orderBy(['column_name', 'input_relation', 'input_field']);
    const before = await stored();
    const builds = async () =>
      Number(
        (
          await knex('dataproducts_meta.column_lineage_builds')
            .where(ACTIVITY)
            .count({ n: '*' })
        )[0].n,
      );
    const count = await builds();
    const request = demoRequest('marketing-customer-360');
    const broken = {
      ...request,
      ports: request.ports.map(p => ({
        ...p,
        spec: {
          ...p.spec,
          model: `${p.spec.model}\nWHERE c.id / 0 = 1`,
        },
      })),
    };
    await expect(engine.apply(broken)).rejects.toThrow(/division by zero/);
    expect(await builds()).toBe(count);
    expect(await stored()).toEqual(before);

    // Rebuilds beyond the kept number drop the oldest builds.
    for (let i = 0; i <= COLUMN_LINEAGE_BUILDS_KEPT - count; i++) {
      await knex('dataproducts_meta.ports')
        .where(ACTIVITY)
        .update({ definition_hash: 'changed' });
      await engine.apply(request);
    }
    expect(await builds()).toBe(COLUMN_LINEAGE_BUILDS_KEPT);
  });

  it('goes with its port when the product is decommissioned', async () => {
    const { knex, engine } = warehouse;
    await engine.decommission('marketing-customer-360');
    expect(
      await knex('dataproducts_meta.column_lineage').where(ACTIVITY),
    ).toEqual([]);
    expect(
      await knex('dataproducts_meta.column_lineage_builds').where(ACTIVITY),
    ).toEqual([]);
  });
});
