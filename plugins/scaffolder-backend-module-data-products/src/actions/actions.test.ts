import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { seedSourceData } from '@dataproducts/demo-data';
import { WarehouseEngine } from '@dataproducts/plugin-data-products-node';
import { createGrantAction, createRevokeAction } from './access';
import { createDecommissionAction } from './decommission';
import { createProvisionAction } from './provision';
import { createRefreshAction } from './refresh';
import { createCatalogProductResolver } from './resolver';

jest.setTimeout(120_000);

const entities: Entity[] = parseAllDocuments(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../fixtures/demo-data-products.yaml'),
    'utf8',
  ),
).map(d => {
  const entity = d.toJSON() as Entity;
  return { ...entity, metadata: { namespace: 'default', ...entity.metadata } };
});

type Knex = Awaited<ReturnType<TestDatabases['init']>>;

async function dropRoles(knex: Knex, prefix: string) {
  const { rows } = await knex.raw(
    'SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?) ORDER BY rolname DESC',
    [prefix],
  );
  if (rows.length === 0) {
    return;
  }
  const names = rows.map(({ rolname }: { rolname: string }) => `"${rolname}"`);
  await knex.raw(`DROP OWNED BY ${names.join(', ')} CASCADE`);
  for (const name of names) {
    await knex.raw(`DROP ROLE ${name}`);
  }
}

describe('dataproduct actions', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  async function setup() {
    const knex = await databases.init('POSTGRES_18');
    const prefix = `a${randomBytes(4).toString('hex')}_`;
    await seedSourceData(knex, { customers: 300 });
    const warehouse = new WarehouseEngine({ knex, rolePrefix: prefix });
    const resolver = createCatalogProductResolver(
      catalogServiceMock({ entities }),
    );
    return {
      knex,
      warehouse,
      provision: createProvisionAction({ warehouse, resolver }),
      cleanup: () => dropRoles(knex, prefix),
    };
  }

  it('provisions the demo products by entity ref, with outputs', async () => {
    const { knex, provision, cleanup } = await setup();
    try {
      for (const name of [
        'sales-crm-customers',
        'sales-erp-orders',
        'logistics-wms-shipments',
      ]) {
        await provision.handler(
          createMockActionContext({
            input: { entityRef: `dataproduct:default/${name}` },
          }),
        );
      }
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
      const plan = (ctx.output as jest.Mock).mock.calls.find(
        c => c[0] === 'plan',
      )[1];
      expect(plan.steps.map((s: any) => s.description)).toContain(
        'Grant marketing-customer-360 read access to its input sales_crm.customers',
      );
    } finally {
      await cleanup();
    }
  });

  it('refuses an inline product without a spec or an inputs list with an InputError', async () => {
    const { provision, cleanup } = await setup();
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
    const { knex, provision, cleanup } = await setup();
    try {
      const product = entities.find(
        e => e.metadata.name === 'sales-crm-customers',
      )!;
      const ports = entities.filter(
        e => e.spec?.dataProduct === 'sales-crm-customers',
      );
      const ctx = {
        ...createMockActionContext({ input: { product, ports } }),
        isDryRun: true,
      };
      await provision.handler(ctx as any);
      const plan = (ctx.output as jest.Mock).mock.calls.find(
        c => c[0] === 'plan',
      )[1];
      expect(plan.steps.length).toBe(6);
      expect(plan.steps[5].sql.join('\n')).toContain(
        'CREATE TABLE "sales_crm"."_dp_next_customers"',
      );
      const schemas = await knex.raw(
        "SELECT 1 FROM pg_namespace WHERE nspname = 'sales_crm'",
      );
      expect(schemas.rows).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('fails with an InputError a template user understands', async () => {
    const { provision, cleanup } = await setup();
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
      ).rejects.toMatchObject({ name: 'InputError' });
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

  it('refreshes, grants, revokes and decommissions', async () => {
    const { warehouse, provision, cleanup } = await setup();
    try {
      for (const name of [
        'sales-crm-customers',
        'sales-erp-orders',
        'logistics-wms-shipments',
        'marketing-customer-360',
      ]) {
        await provision.handler(
          createMockActionContext({
            input: { entityRef: `dataproduct:default/${name}` },
          }),
        );
      }
      const refresh = createRefreshAction({ warehouse });
      const refreshCtx = createMockActionContext({
        input: { product: 'dataproduct:default/sales-crm-customers' },
      });
      await refresh.handler(refreshCtx);
      expect(refreshCtx.output).toHaveBeenCalledWith('ports', [
        {
          name: 'customers',
          object: 'sales_crm.customers',
          type: 'postgres-table',
          rowCount: 300,
        },
      ]);

      const decommission = createDecommissionAction({ warehouse });
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

      const access = {
        product: 'dataproduct:default/sales-crm-customers',
        port: 'customers',
        consumer: 'dataproduct:default/marketing-customer-360',
      };
      const revokeCtx = createMockActionContext({ input: access });
      await createRevokeAction({ warehouse }).handler(revokeCtx);
      expect(revokeCtx.output).toHaveBeenCalledWith('changed', true);
      const grantCtx = createMockActionContext({ input: access });
      await createGrantAction({ warehouse }).handler(grantCtx);
      expect(grantCtx.output).toHaveBeenCalledWith('changed', true);

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
      for (const name of [
        'sales-crm-customers',
        'sales-erp-orders',
        'logistics-wms-shipments',
      ]) {
        await decommission.handler(
          createMockActionContext({ input: { product: name } }),
        );
      }
    } finally {
      await cleanup();
    }
  });
});
