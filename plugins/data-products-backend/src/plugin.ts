import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { dataProductPermissions } from '@dataproducts/plugin-data-products-common';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import { createRouter } from './router';
import { LineageService } from './services/LineageService';
import { StatusService } from './services/StatusService';
import {
  createRegistryRouter,
  RegistryService,
  RegistryStore,
} from './registry';

/**
 * The data products backend plugin: live warehouse status and lineage under
 * `/api/data-products`.
 *
 * @public
 */
export const dataProductsPlugin = createBackendPlugin({
  pluginId: 'data-products',
  register(env) {
    env.registerInit({
      deps: {
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
        database: coreServices.database,
        warehouse: warehouseServiceRef,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        httpAuth,
        httpRouter,
        catalog,
        database,
        warehouse,
        permissions,
        permissionsRegistry,
      }) {
        permissionsRegistry.addPermissions(dataProductPermissions);
        httpRouter.use(
          await createRouter({
            httpAuth,
            statusService: new StatusService({ catalog, inspector: warehouse }),
            lineageService: new LineageService({ catalog }),
          }),
        );
        const registry = new RegistryService({
          store: await RegistryStore.create(await database.getClient()),
          decommission: async product => {
            await warehouse.decommission(product.metadata.name);
          },
        });
        httpRouter.use(
          createRegistryRouter({ registry, httpAuth, permissions }),
        );
      },
    });
  },
});
