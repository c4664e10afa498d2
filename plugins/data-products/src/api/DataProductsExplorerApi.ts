import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ExploreRequest,
  ExploreResponse,
} from '@dataproducts/plugin-data-products-common';

/** Pages of data products, searched, filtered and sorted by the data products backend (`GET /explore`). */
export interface DataProductsExplorerApi {
  /** One page of the explorer; pass the previous page's `nextCursor` for the next. */
  explore(
    request: ExploreRequest,
    options?: { signal?: AbortSignal },
  ): Promise<ExploreResponse>;
}

/** The API reference of {@link DataProductsExplorerApi}. */
export const dataProductsExplorerApiRef = createApiRef<DataProductsExplorerApi>(
  {
    id: 'plugin.data-products.explorer',
  },
);
