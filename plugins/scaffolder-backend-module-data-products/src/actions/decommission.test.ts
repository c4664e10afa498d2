import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createWarehouseTestDatabases } from '@dataproducts/plugin-data-products-node/testUtils';
import { createActionTestWarehouse } from '../__testUtils__/warehouse';
import { createDecommissionAction } from './decommission';

jest.setTimeout(120_000);

describe('dataproduct:decommission', () => {
  const databases = createWarehouseTestDatabases();

  it('refuses a product others read, previews in dry-run, then removes it', async () => {
    const { knex, warehouse, authorization, provisionDemo, cleanup } =
      await createActionTestWarehouse(databases);
    const schemaExists = async (schema: string) =>
      (await knex.raw('SELECT 1 FROM pg_namespace WHERE nspname = ?', [schema]))
        .rows.length === 1;
    try {
      await provisionDemo();
      const decommission = createDecommissionAction({
        warehouse,
        authorization,
      });
      await expect(
        decommission.handler(
          createMockActionContext({
            input: { product: 'sales-crm-customers' },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          "still read by 'marketing-customer-360'",
        ),
      });
      expect(await schemaExists('sales_crm')).toBe(true);

      const forcedDryRun = {
        ...createMockActionContext({
          input: { product: 'sales-crm-customers', force: true },
        }),
        isDryRun: true,
      };
      await decommission.handler(forcedDryRun as any);
      expect(forcedDryRun.output).toHaveBeenCalledWith('droppedConsumers', [
        'marketing-customer-360',
      ]);
      expect(await schemaExists('sales_crm')).toBe(true);

      const dry = {
        ...createMockActionContext({
          input: { product: 'marketing-customer-360' },
        }),
        isDryRun: true,
      };
      await decommission.handler(dry as any);
      expect(dry.output).toHaveBeenCalledWith('removed', false);
      expect(
        (await warehouse.inspect('marketing-customer-360')).provisioned,
      ).toBe(true);

      const real = createMockActionContext({
        input: { product: 'marketing-customer-360' },
      });
      await decommission.handler(real);
      expect(real.output).toHaveBeenCalledWith('removed', true);
      expect(real.output).toHaveBeenCalledWith('schema', 'marketing_360');
      expect(await schemaExists('marketing_360')).toBe(false);

      for (const name of [
        'sales-crm-customers',
        'sales-erp-orders',
        'logistics-wms-shipments',
      ]) {
        await decommission.handler(
          createMockActionContext({ input: { product: name } }),
        );
      }
      const again = createMockActionContext({
        input: { product: 'sales-crm-customers' },
      });
      await decommission.handler(again);
      expect(again.output).toHaveBeenCalledWith('removed', false);
    } finally {
      await cleanup();
    }
  });
});
