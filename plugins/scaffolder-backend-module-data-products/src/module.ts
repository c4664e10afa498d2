import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import { createGrantAction, createRevokeAction } from './actions/access';
import { createDecommissionAction } from './actions/decommission';
import { createProvisionAction } from './actions/provision';
import { createRefreshAction } from './actions/refresh';
import { createRegisterAction } from './actions/register';
import { createCatalogProductResolver } from './actions/resolver';

/** Adds the `dataproduct:*` actions to the scaffolder. */
export const scaffolderModuleDataProducts = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'data-products',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        warehouse: warehouseServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, warehouse, catalog, auth, discovery }) {
        const resolver = createCatalogProductResolver(catalog);
        scaffolder.addActions(
          createProvisionAction({ warehouse, resolver }),
          createRefreshAction({ warehouse }),
          createGrantAction({ warehouse }),
          createRevokeAction({ warehouse }),
          createDecommissionAction({ warehouse }),
          createRegisterAction({ discovery, auth, catalog }),
        );
      },
    });
  },
});
