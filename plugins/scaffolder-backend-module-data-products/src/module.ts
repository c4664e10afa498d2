import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  dataProductAuthorizerServiceRef,
  warehouseServiceRef,
} from '@dataproducts/plugin-data-products-node';
import { createGrantAction, createRevokeAction } from './actions/access';
import {
  createProductDefinitions,
  ProductAuthorization,
} from './actions/authorization';
import { createContractImportAction } from './actions/contractImport';
import { createDecommissionAction } from './actions/decommission';
import { createProvisionAction } from './actions/provision';
import { createRefreshAction } from './actions/refresh';
import { createRegisterAction } from './actions/register';
import { createCatalogProductResolver } from '@dataproducts/plugin-data-products-node';

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
        authorizer: dataProductAuthorizerServiceRef,
        urlReader: coreServices.urlReader,
      },
      async init({
        scaffolder,
        warehouse,
        catalog,
        auth,
        discovery,
        authorizer,
        urlReader,
      }) {
        const resolver = createCatalogProductResolver(catalog);
        // Each action authorizes with the task user's credentials.
        const authorization = new ProductAuthorization({
          authorizer,
          definitions: createProductDefinitions({ catalog, discovery, auth }),
          warehouse,
        });
        scaffolder.addActions(
          createProvisionAction({ warehouse, resolver, authorization }),
          createRefreshAction({ warehouse, authorization }),
          createGrantAction({ warehouse, authorization }),
          createRevokeAction({ warehouse, authorization }),
          createDecommissionAction({ warehouse, authorization }),
          createRegisterAction({ discovery, auth, catalog }),
          createContractImportAction({ urlReader }),
        );
      },
    });
  },
});
