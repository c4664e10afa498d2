import {
  createTestWarehouse,
  createWarehouseTestDatabases,
  provisionDemo,
  demoRequest,
} from '../testUtils';

jest.setTimeout(120_000);

describe('refresh checks a model again', () => {
  const databases = createWarehouseTestDatabases();

  it('against the inputs it was provisioned with, and refuses a port whose inputs were never recorded until it is provisioned again', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      await provisionDemo(engine);
      const port = () =>
        knex('dataproducts_meta.ports')
          .where({ product: 'marketing-customer-360' })
          .first();
      expect((await port()).model_inputs).toEqual(
        demoRequest('marketing-customer-360').inputs,
      );

      // A port built by a portal that ran stored model text as it was.
      await knex('dataproducts_meta.ports')
        .where({ product: 'marketing-customer-360' })
        .update({
          model_inputs: null,
          build_sql: 'SELECT 1 AS customer_id; DROP TABLE sales_crm.customers',
        });
      await expect(
        engine.refresh('marketing-customer-360', 'customer_activity'),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          "Output port 'customer_activity' of data product 'marketing-customer-360' was built before the portal recorded the inputs its model is checked against, so it is not refreshed from stored SQL. Provision 'marketing-customer-360' again (dataproduct:provision), which checks and records them, then refresh it.",
      });
      const customers = await knex.raw(
        "SELECT to_regclass('sales_crm.customers') IS NOT NULL AS exists",
      );
      expect(customers.rows[0].exists).toBe(true);

      const again = await engine.apply(demoRequest('marketing-customer-360'));
      expect(again.ports[0].built).toBe(true);
      expect((await port()).model_inputs).toHaveLength(3);
      expect(
        await engine.refresh('marketing-customer-360', 'customer_activity'),
      ).toMatchObject({ built: true, rowCount: again.ports[0].rowCount });

      await engine.decommission('logistics-wms-shipments', { force: true });
      await expect(
        engine.refresh('marketing-customer-360', 'customer_activity'),
      ).rejects.toThrow(
        "Output port 'customer_activity' of data product 'marketing-customer-360' reads outputport:logistics-wms-shipments-shipments (port 'shipments' of data product 'logistics-wms-shipments'), which is no longer provisioned",
      );
    } finally {
      await cleanup();
    }
  });
});
