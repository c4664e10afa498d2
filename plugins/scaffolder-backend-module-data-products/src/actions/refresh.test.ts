import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createWarehouseTestDatabases } from '@dataproducts/plugin-data-products-node/testUtils';
import { createActionTestWarehouse } from '../__testUtils__/warehouse';
import { createRefreshAction } from './refresh';

jest.setTimeout(120_000);

describe('dataproduct:refresh', () => {
  const databases = createWarehouseTestDatabases();

  it('rebuilds the table ports from their sources and reports their rows', async () => {
    const { knex, warehouse, authorization, provisionDemo, cleanup } =
      await createActionTestWarehouse(databases);
    try {
      await provisionDemo(['sales-crm-customers']);
      const refresh = createRefreshAction({ warehouse, authorization });
      const ctx = createMockActionContext({
        input: { product: 'dataproduct:default/sales-crm-customers' },
      });
      await refresh.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('ports', [
        {
          name: 'customers',
          object: 'sales_crm.customers',
          type: 'postgres-table',
          rowCount: 300,
        },
      ]);

      await knex.raw(
        "INSERT INTO sources.crm_customers (id, first_name, last_name, email, signup_date) VALUES (100001, 'Ada', 'Lovelace', 'ada@example.com', DATE '2024-01-02')",
      );
      const dryRun = {
        ...createMockActionContext({
          input: { product: 'sales-crm-customers', port: 'customers' },
        }),
        isDryRun: true,
      };
      await refresh.handler(dryRun as any);
      const { rows: before } = await knex.raw(
        'SELECT count(*)::int AS n FROM sales_crm.customers',
      );
      expect(before).toEqual([{ n: 300 }]);

      const again = createMockActionContext({
        input: { product: 'sales-crm-customers', port: 'customers' },
      });
      await refresh.handler(again);
      expect(again.output).toHaveBeenCalledWith('ports', [
        expect.objectContaining({ name: 'customers', rowCount: 301 }),
      ]);
      const { rows: after } = await knex.raw(
        "SELECT first_name FROM sales_crm.customers WHERE email = 'ada@example.com'",
      );
      expect(after).toEqual([{ first_name: 'Ada' }]);
    } finally {
      await cleanup();
    }
  });

  it('refuses a product that is not provisioned, saying to provision it first', async () => {
    const { warehouse, authorization, cleanup } =
      await createActionTestWarehouse(databases);
    try {
      await expect(
        createRefreshAction({ warehouse, authorization }).handler(
          createMockActionContext({
            input: { product: 'sales-crm-customers' },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message:
          "Data product 'sales-crm-customers' is not provisioned in the warehouse; provision it first",
      });
    } finally {
      await cleanup();
    }
  });
});
