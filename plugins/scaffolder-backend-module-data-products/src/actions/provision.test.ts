import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createWarehouseTestDatabases } from '@dataproducts/plugin-data-products-node/testUtils';
import {
  createActionTestWarehouse,
  demoEntities,
} from '../__testUtils__/warehouse';

jest.setTimeout(120_000);

/** The value an action output under `name`. */
function output(ctx: { output: unknown }, name: string) {
  return (ctx.output as jest.Mock).mock.calls.find(c => c[0] === name)?.[1];
}

describe('dataproduct:provision', () => {
  const databases = createWarehouseTestDatabases();

  it('provisions the demo products by entity ref, with outputs', async () => {
    const { knex, provision, provisionDemo, cleanup } =
      await createActionTestWarehouse(databases);
    try {
      await provisionDemo([
        'sales-crm-customers',
        'sales-erp-orders',
        'logistics-wms-shipments',
      ]);
      const ctx = createMockActionContext({
        input: { entityRef: 'dataproduct:default/marketing-customer-360' },
      });
      await provision.handler(ctx);
      const rows = await knex.raw(
        'SELECT count(*)::int AS n FROM marketing_360.customer_activity',
      );
      expect(ctx.output).toHaveBeenCalledWith('schema', 'marketing_360');
      expect(ctx.output).toHaveBeenCalledWith('ports', [
        {
          name: 'customer_activity',
          object: 'marketing_360.customer_activity',
          type: 'postgres-table',
          rowCount: rows.rows[0].n,
        },
      ]);
      expect(
        output(ctx, 'plan').steps.map((s: any) => s.description),
      ).toContain(
        'Grant marketing-customer-360 read access to its input sales_crm.customers',
      );
    } finally {
      await cleanup();
    }
  });

  it('converges: a second run changes nothing and says so', async () => {
    const { provision, provisionDemo, cleanup } =
      await createActionTestWarehouse(databases);
    try {
      await provisionDemo(['sales-crm-customers']);
      const again = createMockActionContext({
        input: { entityRef: 'dataproduct:default/sales-crm-customers' },
      });
      const info = jest.spyOn(again.logger, 'info');
      await provision.handler(again);
      expect(output(again, 'plan').steps).toEqual([]);
      expect(info).toHaveBeenCalledWith(
        'sales-crm-customers is already up to date',
      );
    } finally {
      await cleanup();
    }
  });

  it('refuses an inline product without a spec or an inputs list with an InputError', async () => {
    const { provision, cleanup } = await createActionTestWarehouse(databases);
    try {
      const ctx = createMockActionContext({
        input: {
          product: {
            apiVersion: 'dataproducts.io/v1alpha1',
            kind: 'DataProduct',
            metadata: { name: 'no-spec' },
          },
          ports: [],
        },
      });
      await expect(provision.handler(ctx as any)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/schema of data product 'no-spec'/),
      });
      const listless = createMockActionContext({
        input: {
          product: {
            apiVersion: 'dataproducts.io/v1alpha1',
            kind: 'DataProduct',
            metadata: { name: 'listless' },
            spec: { schema: 'listless', inputs: 'outputport:x' },
          },
          ports: [],
        },
      });
      await expect(provision.handler(listless as any)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /Invalid spec.inputs of data product 'listless'/,
        ),
      });
    } finally {
      await cleanup();
    }
  });

  it('returns the real plan in dry-run and changes nothing', async () => {
    const { knex, provision, cleanup } = await createActionTestWarehouse(
      databases,
    );
    try {
      const product = demoEntities.find(
        e => e.metadata.name === 'sales-crm-customers',
      )!;
      const ports = demoEntities.filter(
        e => e.spec?.dataProduct === 'sales-crm-customers',
      );
      const ctx = {
        ...createMockActionContext({ input: { product, ports } }),
        isDryRun: true,
      };
      await provision.handler(ctx as any);
      const plan = output(ctx, 'plan');
      // ... and the record of the port's contract version and constraints
      expect(plan.steps.length).toBe(7);
      expect(plan.steps[5].sql.join('\n')).toContain(
        'CREATE TABLE "sales_crm"."_dp_next_customers"',
      );
      expect(output(ctx, 'ports')).toEqual([
        {
          name: 'customers',
          object: 'sales_crm.customers',
          type: 'postgres-table',
          rowCount: 0,
        },
      ]);
      const schemas = await knex.raw(
        "SELECT 1 FROM pg_namespace WHERE nspname = 'sales_crm'",
      );
      expect(schemas.rows).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('fails with an InputError a template user understands', async () => {
    const { provision, cleanup } = await createActionTestWarehouse(databases);
    try {
      await expect(
        provision.handler(
          createMockActionContext({
            input: { entityRef: 'dataproduct:default/marketing-customer-360' },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          "is not provisioned in the warehouse (port 'customers' of data product 'sales-crm-customers'). Provision 'sales-crm-customers' first.",
        ),
      });
      await expect(
        provision.handler(createMockActionContext({ input: {} })),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          'dataproduct:provision needs entityRef',
        ),
      });
      await expect(
        provision.handler(
          createMockActionContext({
            input: {
              entityRef: 'dataproduct:default/sales-crm-customers',
              product: demoEntities[0],
            },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: 'Give either entityRef or product, not both',
      });
      await expect(
        provision.handler(
          createMockActionContext({
            input: { entityRef: 'dataproduct:default/nope' },
          }),
        ),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    } finally {
      await cleanup();
    }
  });
});
