import type { UserInfoService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  dataProductAccessApprovePermission,
  dataProductAccessRequestPermission,
  dataProductCreatePermission,
  dataProductDecommissionPermission,
  dataProductPermissions,
  dataProductPreviewPermission,
} from '@dataproducts/plugin-data-products-common';
import { DataProductsPermissionPolicy } from './DataProductsPermissionPolicy';
import { UserClaims } from './UserClaims';

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: parent
    ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
    : [],
});

/** Sales sits in Commercial, which sits in the company; a loop must not hang. */
const catalog = [
  group('sales', 'commercial'),
  group('commercial', 'company'),
  group('company'),
  group('marketing'),
  group('data-platform'),
  group('loop-a', 'loop-b'),
  group('loop-b', 'loop-a'),
];

/** Ownership refs as catalog sign-in gives them: the user and its groups. */
const SIGN_IN: Record<string, string[]> = {
  'user:default/ana.sales': ['user:default/ana.sales', 'group:default/sales'],
  'user:default/mark.marketing': [
    'user:default/mark.marketing',
    'group:default/marketing',
  ],
  'user:default/dana.platform': [
    'user:default/dana.platform',
    'group:default/data-platform',
  ],
  'user:default/lou.loop': ['user:default/lou.loop', 'group:default/loop-a'],
};

const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const { userEntityRef } = credentials.principal as {
      userEntityRef: string;
    };
    return { userEntityRef, ownershipEntityRefs: SIGN_IN[userEntityRef] };
  },
};

const policy = new DataProductsPermissionPolicy({
  claims: new UserClaims({
    userInfo,
    catalog: catalogServiceMock({ entities: catalog }),
    auth: mockServices.auth(),
  }),
  adminGroups: ['group:default/data-platform'],
});

const as = (userEntityRef: string) => {
  const credentials = mockCredentials.user(userEntityRef);
  return {
    credentials,
    info: { userEntityRef, ownershipEntityRefs: SIGN_IN[userEntityRef] },
  };
};

describe('DataProductsPermissionPolicy', () => {
  it("allows other plugins' permissions, as the allow-all policy did", async () => {
    const catalogRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    await expect(policy.handle({ permission: catalogRead })).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it("keeps everyone, admins included, from unregistering the registry's products in the catalog", async () => {
    const catalogDelete = createPermission({
      name: 'catalog.entity.delete',
      attributes: { action: 'delete' },
      resourceType: 'catalog-entity',
    });
    for (const user of ['user:default/ana.sales', 'user:default/dana.platform']) {
      await expect(
        policy.handle({ permission: catalogDelete }, as(user)),
      ).resolves.toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          not: {
            rule: 'HAS_ANNOTATION',
            resourceType: 'catalog-entity',
            params: { annotation: 'dataproducts.io/registry-status' },
          },
        },
      });
    }
  });

  it('refuses every data product permission to callers who are not signed in', async () => {
    for (const permission of dataProductPermissions) {
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('lets every signed-in user create products and request access', async () => {
    for (const permission of [
      dataProductCreatePermission,
      dataProductAccessRequestPermission,
    ]) {
      await expect(
        policy.handle({ permission }, as('user:default/mark.marketing')),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it("leaves the rest to the product's owners, parent groups included", async () => {
    await expect(
      policy.handle(
        { permission: dataProductDecommissionPermission },
        as('user:default/ana.sales'),
      ),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'data-products',
      resourceType: 'data-product',
      conditions: {
        rule: 'IS_DATA_PRODUCT_OWNER',
        resourceType: 'data-product',
        params: {
          claims: [
            'user:default/ana.sales',
            'group:default/sales',
            'group:default/commercial',
            'group:default/company',
          ],
        },
      },
    });
    const approve = await policy.handle(
      { permission: dataProductAccessApprovePermission },
      as('user:default/lou.loop'),
    );
    expect(approve).toMatchObject({
      conditions: {
        params: {
          claims: [
            'user:default/lou.loop',
            'group:default/loop-a',
            'group:default/loop-b',
          ],
        },
      },
    });
  });

  it('lets members of the admin groups manage every product', async () => {
    for (const permission of [
      dataProductDecommissionPermission,
      dataProductPreviewPermission,
    ]) {
      await expect(
        policy.handle({ permission }, as('user:default/dana.platform')),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    }
  });
});
