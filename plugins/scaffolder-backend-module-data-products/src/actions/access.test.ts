import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createWarehouseTestDatabases } from '@dataproducts/plugin-data-products-node/testUtils';
import { createActionTestWarehouse } from '../__testUtils__/warehouse';
import { createGrantAction, createRevokeAction } from './access';

jest.setTimeout(120_000);

describe('dataproduct:grant and dataproduct:revoke', () => {
  const databases = createWarehouseTestDatabases();

  it("take a consumer's read access away and give it back, once", async () => {
    const { warehouse, authorization, provisionDemo, cleanup } =
      await createActionTestWarehouse(databases);
    try {
      await provisionDemo();
      const access = {
        product: 'dataproduct:default/sales-crm-customers',
        port: 'customers',
        consumer: 'dataproduct:default/marketing-customer-360',
      };
      const consumers = async () =>
        (await warehouse.inspect('sales-crm-customers')).consumers;
      expect(await consumers()).toEqual(['marketing-customer-360']);

      const revoke = createRevokeAction({ warehouse, authorization });
      const revoked = createMockActionContext({ input: access });
      await revoke.handler(revoked);
      expect(revoked.output).toHaveBeenCalledWith('changed', true);
      expect(await consumers()).toEqual([]);
      const revokedAgain = createMockActionContext({ input: access });
      await revoke.handler(revokedAgain);
      expect(revokedAgain.output).toHaveBeenCalledWith('changed', false);

      const grant = createGrantAction({ warehouse, authorization });
      const dryRun = {
        ...createMockActionContext({ input: access }),
        isDryRun: true,
      };
      await grant.handler(dryRun as any);
      expect(await consumers()).toEqual([]);

      const granted = createMockActionContext({ input: access });
      await grant.handler(granted);
      expect(granted.output).toHaveBeenCalledWith('changed', true);
      expect(await consumers()).toEqual(['marketing-customer-360']);
      const grantedAgain = createMockActionContext({ input: access });
      await grant.handler(grantedAgain);
      expect(grantedAgain.output).toHaveBeenCalledWith('changed', false);
    } finally {
      await cleanup();
    }
  });

  it('refuses a consumer that is not a data product ref with an InputError', async () => {
    const { warehouse, authorization, cleanup } =
      await createActionTestWarehouse(databases);
    try {
      await expect(
        createGrantAction({ warehouse, authorization }).handler(
          createMockActionContext({
            input: {
              product: 'sales-crm-customers',
              port: 'customers',
              consumer: 'dataproduct:',
            },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          'Invalid consumer data product "dataproduct:"',
        ),
      });
    } finally {
      await cleanup();
    }
  });
});
