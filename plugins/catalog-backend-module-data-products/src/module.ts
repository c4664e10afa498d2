import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { DataProductsProcessor } from './processor/DataProductsProcessor';
import { DataProductRegistryEntityProvider } from './provider';

/**
 * The catalog module for data products: the DataProduct and OutputPort kinds
 * with their validation and relations.
 *
 * @public
 */
export const catalogModuleDataProducts = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'data-products',
  register(reg) {
    reg.registerInit({
      deps: {
        processing: catalogProcessingExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
      },
      async init({ processing, catalog, auth, discovery, scheduler, logger }) {
        processing.addProcessor(new DataProductsProcessor({ catalog, auth }));
        processing.addEntityProvider(
          new DataProductRegistryEntityProvider({
            discovery,
            auth,
            logger,
            scheduler,
          }),
        );
      },
    });
  },
});
