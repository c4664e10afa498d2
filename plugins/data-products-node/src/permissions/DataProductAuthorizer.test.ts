import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  dataProductCreatePermission,
  dataProductDecommissionPermission,
} from '@dataproducts/plugin-data-products-common';
import {
  createDataProductConditionalDecision,
  dataProductConditions,
} from './conditions';
import { DataProductAuthorizer } from './DataProductAuthorizer';

const sales: Entity = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'sales-crm-customers' },
  spec: { owner: 'group:sales' },
};

/** A permissions service answering every resource permission with `decision`. */
function answering(decision: PolicyDecision): PermissionsService {
  return {
    authorize: async requests => requests.map(() => decision as any),
    authorizeConditional: async requests => requests.map(() => decision),
  };
}

const ana = mockCredentials.user('user:default/ana.sales');

describe('DataProductAuthorizer', () => {
  const ownerOnly = createDataProductConditionalDecision(
    dataProductDecommissionPermission,
    {
      anyOf: [
        dataProductConditions.isDataProductOwner({
          claims: ['group:default/sales'],
        }),
        dataProductConditions.isDataProductAdmin({
          claims: ['group:default/sales'],
        }),
      ],
    },
  );

  it('applies the policy conditions to the product it is given', async () => {
    const authorizer = new DataProductAuthorizer({
      permissions: answering(ownerOnly),
      adminGroups: ['group:default/data-platform'],
    });
    const request = {
      credentials: ana,
      permission: dataProductDecommissionPermission,
    };
    await expect(
      authorizer.isAllowed({ ...request, product: sales }),
    ).resolves.toBe(true);
    await expect(
      authorizer.isAllowed({
        ...request,
        product: { ...sales, spec: { owner: 'group:marketing' } },
      }),
    ).resolves.toBe(false);
  });

  it('refuses with the permission, the product and whom to ask', async () => {
    const authorizer = new DataProductAuthorizer({
      permissions: answering(ownerOnly),
      adminGroups: [],
    });
    await expect(
      authorizer.authorize({
        credentials: ana,
        permission: dataProductDecommissionPermission,
        product: { ...sales, spec: { owner: 'marketing' } },
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'You are not allowed to decommission data product dataproduct:default/sales-crm-customers: permission dataproduct.decommission was denied. Ask a member of its owner group:default/marketing or a data product administrator.',
    });
  });

  it('asks the policy plainly for the basic create permission', async () => {
    const denied = new DataProductAuthorizer({
      permissions: mockServices.permissions({ result: AuthorizeResult.DENY }),
      adminGroups: [],
    });
    await expect(
      denied.authorize({
        credentials: ana,
        permission: dataProductCreatePermission,
        product: sales,
      }),
    ).rejects.toThrow(/permission dataproduct.create was denied/);
  });

  it('names a rule the policy used that data products do not have', async () => {
    const authorizer = new DataProductAuthorizer({
      permissions: answering({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'data-products',
        resourceType: 'data-product',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'data-product',
          params: { claims: [] },
        },
      }),
      adminGroups: [],
    });
    await expect(
      authorizer.isAllowed({
        credentials: ana,
        permission: dataProductDecommissionPermission,
        product: sales,
      }),
    ).rejects.toThrow(
      'The permission policy gave a condition with rule IS_ENTITY_OWNER, which data products do not have; use IS_DATA_PRODUCT_OWNER or IS_DATA_PRODUCT_ADMIN',
    );
  });
});
