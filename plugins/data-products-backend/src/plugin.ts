import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createRouter } from './router';
import { LineageService } from './services/LineageService';
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
      },
      async init({ httpAuth, httpRouter, catalog, database }) {
        httpRouter.use(
          await createRouter({
            httpAuth,
            lineageService: new LineageService({ catalog }),
          }),
        );
        const registry = new RegistryService({
          store: await RegistryStore.create(await database.getClient()),
        });
        httpRouter.use(createRegistryRouter({ registry, httpAuth }));
      },
    });
  },
});
