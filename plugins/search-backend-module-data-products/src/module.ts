import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogCollatorExtensionPoint } from '@backstage/plugin-search-backend-module-catalog';
import { dataProductsEntityTransformer } from './dataProductsEntityTransformer';

/**
 * The search module for data products: the catalog collator indexes
 * DataProducts and OutputPorts with their schema and columns. It sets the
 * catalog collator's entity transformer, which only one module may do.
 *
 * @public
 */
export const searchModuleDataProducts = createBackendModule({
  pluginId: 'search',
  moduleId: 'data-products',
  register(reg) {
    reg.registerInit({
      deps: { collator: catalogCollatorExtensionPoint },
      async init({ collator }) {
        collator.setEntityTransformer(dataProductsEntityTransformer);
      },
    });
  },
});
