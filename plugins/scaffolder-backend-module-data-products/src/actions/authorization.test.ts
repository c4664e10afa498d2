import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { DataProductEntityV1alpha1 } from '@dataproducts/plugin-data-products-common';
import {
  createDataProductConditionalDecision,
  DataProductAuthorizer,
  dataProductConditions,
} from '@dataproducts/plugin-data-products-node';
import {
  catalogSnapshot,
  createWarehouseTestDatabases,
} from '@dataproducts/plugin-data-products-node/testUtils';
import {
  createActionTestWarehouse,
  demoEntities,
} from '../__testUtils__/warehouse';
import { createGrantAction, createRevokeAction } from './access';
import { ProductAuthorization } from './authorization';
import { createDecommissionAction } from './decommission';
import { createProvisionAction } from './provision';
import { createRefreshAction } from './refresh';
import { createCatalogProductResolver } from '@dataproducts/plugin-data-products-node';

jest.setTimeout(180_000);

/**
 * The decisions of the portal's policy for a signed-in user with these
 * claims: creating and requesting for everyone, the rest for the product's
 * owners, as a condition applied to the product.
 */
function policyFor(claims: string[]): PermissionsService {
  return {
    async authorize(requests) {
      return requests.map(({ permission }) => ({
        result: ['dataproduct.create', 'dataproduct.access.request'].includes(
          permission.name,
        )
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      }));
    },
    async authorizeConditional(requests) {
      return requests.map(({ permission }) =>
        isResourcePermission(permission, 'data-product')
          ? createDataProductConditionalDecision(
              permission,
              dataProductConditions.isDataProductOwner({ claims }),
            )
          : { result: AuthorizeResult.DENY },
      );
    },
  };
}

const MARKETING = ['user:default/mark.marketing', 'group:default/marketing'];
const SALES = ['user:default/ana.sales', 'group:default/sales'];

describe('the actions authorize with the task user, against the product definition', () => {
  const databases = createWarehouseTestDatabases();

  async function setUp(claims: string[], definitions = demoEntities) {
    const test = await createActionTestWarehouse(databases);
    await test.provisionDemo();
    const authorization = new ProductAuthorization({
      authorizer: new DataProductAuthorizer({
        permissions: policyFor(claims),
        adminGroups: [],
      }),
      definitions: async name =>
        definitions.find(
          e => e.kind === 'DataProduct' && e.metadata.name === name,
        ),
      warehouse: test.warehouse,
    });
    const snapshot = () => catalogSnapshot(test.knex, test.prefix);
    return { ...test, authorization, snapshot };
  }

  const run = (
    action: { handler(ctx: any): Promise<void> },
    input: Record<string, unknown>,
    isDryRun = false,
  ) =>
    action.handler({
      ...createMockActionContext({ input: input as any }),
      isDryRun,
      getInitiatorCredentials: async () =>
        mockCredentials.user('user:default/mark.marketing'),
    });

  it("refuses another team's refresh, decommission, grant and revoke, naming the permission, and changes nothing", async () => {
    const { knex, warehouse, authorization, snapshot, cleanup } = await setUp(
      MARKETING,
    );
    try {
      await knex.raw(
        "INSERT INTO sources.crm_customers (id, first_name, last_name, email, signup_date) VALUES (100001, 'Ada', 'Lovelace', 'ada@example.com', DATE '2024-01-02')",
      );
      const before = await snapshot();
      const rows = async () =>
        (await knex.raw('SELECT count(*)::int AS n FROM sales_crm.customers'))
          .rows[0].n;
      const rowsBefore = await rows();
      const crm = 'dataproduct:default/sales-crm-customers';
      const refusals: Array<[() => Promise<void>, string, string]> = [
        [
          () =>
            run(createRefreshAction({ warehouse, authorization }), {
              product: crm,
            }),
          'refresh',
          'dataproduct.refresh',
        ],
        [
          () =>
            run(createDecommissionAction({ warehouse, authorization }), {
              product: crm,
              force: true,
            }),
          'decommission',
          'dataproduct.decommission',
        ],
        [
          () =>
            run(createRevokeAction({ warehouse, authorization }), {
              product: crm,
              port: 'customers',
              consumer: 'marketing-customer-360',
            }),
          'revoke access to',
          'dataproduct.access.revoke',
        ],
        [
          () =>
            run(
              createGrantAction({ warehouse, authorization }),
              {
                product: crm,
                port: 'customers',
                consumer: 'marketing-customer-360',
              },
              true,
            ),
          'approve access to',
          'dataproduct.access.approve',
        ],
      ];
      for (const [attempt, verb, permission] of refusals) {
        await expect(attempt()).rejects.toMatchObject({
          name: 'NotAllowedError',
          message: `You are not allowed to ${verb} data product dataproduct:default/sales-crm-customers: permission ${permission} was denied. Ask a member of its owner group:default/sales or a data product administrator.`,
        });
      }
      expect(await snapshot()).toEqual(before);
      expect(await rows()).toBe(rowsBefore);
    } finally {
      await cleanup();
    }
  });

  it("refuses to provision over another team's product, or a new one in its name", async () => {
    const { warehouse, authorization, snapshot, cleanup } = await setUp(
      MARKETING,
    );
    try {
      const provision = createProvisionAction({
        warehouse,
        resolver: createCatalogProductResolver(
          catalogServiceMock({ entities: demoEntities }),
        ),
        authorization,
      });
      const crm = demoEntities.find(
        e => e.metadata.name === 'sales-crm-customers',
      ) as DataProductEntityV1alpha1;
      const crmPorts = demoEntities.filter(
        e => (e.spec as any)?.dataProduct === 'sales-crm-customers',
      );
      const before = await snapshot();

      // The definition says who owns it, whatever the task claims.
      const claimed = {
        ...crm,
        spec: { ...crm.spec, owner: 'group:marketing' },
      };
      await expect(
        run(provision, { product: claimed, ports: crmPorts }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'update data product dataproduct:default/sales-crm-customers: permission dataproduct.update was denied',
        ),
      });
      await expect(
        run(
          provision,
          { entityRef: 'dataproduct:default/sales-crm-customers' },
          true,
        ),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });

      const leads = {
        ...crm,
        metadata: { name: 'sales-leads' },
        spec: { ...crm.spec, schema: 'sales_leads' },
      };
      await expect(
        run(provision, {
          product: leads,
          ports: [
            {
              ...crmPorts[0],
              metadata: { name: 'sales-leads-customers' },
              spec: { ...crmPorts[0].spec, dataProduct: 'sales-leads' },
            },
          ],
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'You are not allowed to create data product dataproduct:default/sales-leads owned by group:default/sales: you could not manage it (permission dataproduct.update on it was denied). Name one of your groups in spec.owner, or ask a data product administrator.',
      });
      expect(await snapshot()).toEqual(before);
    } finally {
      await cleanup();
    }
  });

  it('leaves a product defined nowhere but provisioned to administrators', async () => {
    // Sales CRM Customers is provisioned, but neither catalog nor registry defines it.
    const { warehouse, authorization, snapshot, cleanup } = await setUp(
      SALES,
      demoEntities.filter(e => e.metadata.name !== 'sales-crm-customers'),
    );
    try {
      const before = await snapshot();
      await expect(
        run(createRefreshAction({ warehouse, authorization }), {
          product: 'sales-crm-customers',
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'You are not allowed to refresh data product dataproduct:default/sales-crm-customers: permission dataproduct.refresh was denied. Ask a data product administrator.',
      });
      expect(await snapshot()).toEqual(before);
    } finally {
      await cleanup();
    }
  });

  it('lets the owners refresh their product and manage access to it', async () => {
    const { warehouse, authorization, cleanup } = await setUp(SALES);
    try {
      const refresh = run(createRefreshAction({ warehouse, authorization }), {
        product: 'sales-crm-customers',
      });
      await expect(refresh).resolves.toBeUndefined();
      const access = {
        product: 'sales-crm-customers',
        port: 'customers',
        consumer: 'marketing-customer-360',
      };
      await run(createRevokeAction({ warehouse, authorization }), access);
      expect(
        (await warehouse.inspect('sales-crm-customers')).consumers,
      ).toEqual([]);
      await run(createGrantAction({ warehouse, authorization }), access);
      expect(
        (await warehouse.inspect('sales-crm-customers')).consumers,
      ).toEqual(['marketing-customer-360']);
    } finally {
      await cleanup();
    }
  });
});
