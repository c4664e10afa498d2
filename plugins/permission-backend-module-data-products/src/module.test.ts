import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { dataProductRefreshPermission } from '@dataproducts/plugin-data-products-common';
import { permissionModuleDataProductsPolicy } from './module';

describe('permissionModuleDataProductsPolicy', () => {
  it('sets the data products policy with the configured admin groups', async () => {
    const info = {
      userEntityRef: 'user:default/dana.platform',
      ownershipEntityRefs: [
        'user:default/dana.platform',
        'group:default/data-platform',
      ],
    };
    let installed: PermissionPolicy | undefined;
    await startTestBackend({
      extensionPoints: [
        [policyExtensionPoint, { setPolicy: policy => (installed = policy) }],
      ],
      features: [
        permissionModuleDataProductsPolicy,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            dataProducts: { permissions: { adminGroups: ['data-platform'] } },
          },
        }),
        mockServices.userInfo.mock({ getUserInfo: async () => info }).factory,
      ],
    });
    await expect(
      installed!.handle(
        { permission: dataProductRefreshPermission },
        {
          credentials: mockCredentials.user('user:default/dana.platform'),
          info,
        },
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });
});
