import { createApiRef } from '@backstage/core-plugin-api';
import type {
  PortFreshness,
  ProductFreshness,
  RefreshRun,
} from '@dataproducts/plugin-data-products-common';

/** How fresh products and ports are, and "Refresh now" (the data products backend's freshness routes). */
export interface DataProductsFreshnessApi {
  /** One output port's freshness, with its recent refresh attempts. */
  getPortFreshness(entityRef: string): Promise<PortFreshness>;
  /** One data product's freshness: the worst of its ports. */
  getProductFreshness(entityRef: string): Promise<ProductFreshness>;
  /** The freshness of many products and ports in one request (all when no refs are given). */
  getFreshness(
    entityRefs?: string[],
  ): Promise<{ products: ProductFreshness[]; ports: PortFreshness[] }>;
  /** Rebuilds a table port now; resolves with the attempt and the port's freshness after it. */
  refreshPort(
    entityRef: string,
  ): Promise<{ run: RefreshRun; freshness: PortFreshness }>;
}

/** The API reference of {@link DataProductsFreshnessApi}. */
export const dataProductsFreshnessApiRef =
  createApiRef<DataProductsFreshnessApi>({
    id: 'plugin.data-products.freshness',
  });
