import {
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
  provisionDemo,
  TestWarehouse,
} from '../testUtils';

jest.setTimeout(180_000);

describe('breaking changes name the consumer columns derived from a column', () => {
  let warehouse: TestWarehouse;
  // Before the databases' own afterAll, which closes the connection.
  afterAll(async () => {
    await warehouse?.cleanup();
  });
  const databases = createWarehouseTestDatabases();

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 20 });
    await provisionDemo(warehouse.engine);
  });

  /** The CRM's customers port without the named columns. */
  function withoutColumns(...names: string[]) {
    const request = demoRequest('sales-crm-customers');
    return {
      ...request,
      ports: request.ports.map(p => ({
        ...p,
        spec: {
          ...p.spec,
          columns: p.spec.columns.filter(c => !names.includes(c.name)),
        },
      })),
    };
  }

  it('in the diff and in the refusal of a removed column', async () => {
    const { engine, knex } = warehouse;
    const diff = await engine.diff(withoutColumns('email'));
    const email = diff.ports[0].columns.find(c => c.column === 'email');
    expect(email?.derived).toEqual([
      {
        product: 'marketing-customer-360',
        port: 'customer_activity',
        column: 'customer_email',
        direct: true,
      },
    ]);

    await expect(engine.apply(withoutColumns('email'))).rejects.toThrow(
      'column email (character varying(100)) removed (marketing-customer-360.customer_activity.customer_email derives from it)',
    );
    // Refused: the column is still there.
    const { rows } = await knex.raw(
      `SELECT attname FROM pg_attribute
        WHERE attrelid = 'sales_crm.customers'::regclass AND attname = 'email' AND NOT attisdropped`,
    );
    expect(rows).toHaveLength(1);
  });

  it('counts the columns that depend on a join key only indirectly', async () => {
    const diff = await warehouse.engine.diff(withoutColumns('id'));
    const id = diff.ports[0].columns.find(c => c.column === 'id');
    expect(id?.derived?.filter(d => d.direct).map(d => d.column)).toEqual([
      'customer_id',
    ]);
    await expect(warehouse.engine.apply(withoutColumns('id'))).rejects.toThrow(
      'column id (integer) removed (marketing-customer-360.customer_activity.customer_id derives from it; 7 more columns depend on it through joins, filters, grouping or sorting)',
    );
  });
});
