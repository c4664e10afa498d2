import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readDataProductAdminGroups } from '@dataproducts/plugin-data-products-node';
import { DataProductsPermissionPolicy } from './DataProductsPermissionPolicy';
import { UserClaims } from './UserClaims';

/**
 * Installs the data products permission policy in the permission backend,
 * in place of the allow-all policy.
 */
export const permissionModuleDataProductsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'data-products-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
      },
      async init({ policy, config, auth, userInfo, catalog }) {
        policy.setPolicy(
          new DataProductsPermissionPolicy({
            claims: new UserClaims({ userInfo, catalog, auth }),
            adminGroups: readDataProductAdminGroups(config),
          }),
        );
      },
    });
  },
});
