import { createApiRef } from '@backstage/core-plugin-api';
import type { DataProductsAccessApi } from '@dataproducts/plugin-data-products-common';

/**
 * The API reference of the access requests, port readers and product history
 * of the data products backend; `DataProductsAccessClient` of
 * `@dataproducts/plugin-data-products-common` implements it.
 */
export const dataProductsAccessApiRef = createApiRef<DataProductsAccessApi>({
  id: 'plugin.data-products.access',
});
