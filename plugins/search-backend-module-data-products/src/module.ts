import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogCollatorExtensionPoint } from '@backstage/plugin-search-backend-module-catalog';
import { createDataProductsEntityTransformer } from './dataProductsEntityTransformer';
import { ProductDirectory } from './productDirectory';

/**
 * The search module for data products: the catalog collator indexes
 * DataProducts and OutputPorts with their schema and columns, and a port
 * with its product's title and domain (read from the catalog every five
 * minutes; the catalog collator indexes every ten by default).
 * It sets the catalog collator's entity transformer, which only one module
 * may do.
 *
 * @public
 */
export const searchModuleDataProducts = createBackendModule({
  pluginId: 'search',
  moduleId: 'data-products',
  register(reg) {
    reg.registerInit({
      deps: {
        collator: catalogCollatorExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
      },
      async init({ collator, catalog, auth, scheduler }) {
        const directory = new ProductDirectory();
        collator.setEntityTransformer(
          createDataProductsEntityTransformer(directory),
        );
        // Product and domain titles for the ports' documents. Not awaited:
        // the catalog answers only once every plugin has started, so the
        // first index may name products by their entity names.
        // Every five minutes: each read parses every DataProduct in the
        // catalog (10,000 of them in a large mesh), and the index it serves
        // is built every ten.
        const runner = scheduler.createScheduledTaskRunner({
          frequency: { minutes: 5 },
          timeout: { minutes: 1 },
          scope: 'local',
        });
        void runner.run({
          id: 'data-products-search-product-titles',
          fn: async () =>
            directory.refresh(catalog, await auth.getOwnServiceCredentials()),
        });
      },
    });
  },
});
