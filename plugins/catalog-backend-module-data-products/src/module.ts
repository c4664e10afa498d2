import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { DataProductsProcessor } from './processor/DataProductsProcessor';
import { DataProductRegistryEntityProvider } from './provider';

/** Where the fallback poll of the registry's change feed is configured. */
const SCHEDULE_KEY = 'dataProducts.registry.catalogSync.schedule';

/**
 * The catalog module for data products: the DataProduct and OutputPort kinds
 * with their validation and relations, and the registry's products, which
 * follow the registry's change feed (events, and a slow fallback poll).
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
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        events: eventsServiceRef,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
      },
      async init({
        processing,
        catalog,
        auth,
        config,
        discovery,
        events,
        scheduler,
        logger,
      }) {
        processing.addProcessor(new DataProductsProcessor({ catalog, auth }));
        processing.addEntityProvider(
          new DataProductRegistryEntityProvider({
            discovery,
            auth,
            logger,
            events,
            scheduler,
            ...(config.has(SCHEDULE_KEY)
              ? {
                  schedule:
                    readSchedulerServiceTaskScheduleDefinitionFromConfig(
                      config.getConfig(SCHEDULE_KEY),
                    ),
                }
              : {}),
          }),
        );
      },
    });
  },
});
