import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { dataProductPermissions } from '@dataproducts/plugin-data-products-common';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import { applyDatabaseMigrations } from './database/migrations';
import { createRouter } from './router';
import { LineageService } from './services/LineageService';
import { StatusService } from './services/StatusService';
import {
  createRegistryRouter,
  RegistryService,
  RegistryStore,
} from './registry';

/**
 * The data products backend plugin: live warehouse status, lineage and the
 * self-service registry under `/api/data-products`. Its tables come from the
 * knex migrations in the package's `migrations` folder.
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
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }
        const registry = new RegistryService({
          store: new RegistryStore(knex),
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
