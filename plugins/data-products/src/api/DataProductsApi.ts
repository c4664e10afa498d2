import { createApiRef } from '@backstage/core-plugin-api';
import type {
  DataProductStatus,
  Lineage,
  OutputPortStatus,
} from '@dataproducts/plugin-data-products-common';

/** How far a lineage graph reaches, in hops between products. */
export interface LineageOptions {
  /** The entity to start from; the whole mesh when absent. */
  entityRef?: string;
  upstream?: number;
  downstream?: number;
}

/** The data products backend: live warehouse status and lineage. */
export interface DataProductsApi {
  /** What the warehouse holds for a data product and its output ports. */
  getProductStatus(entityRef: string): Promise<DataProductStatus>;
  /** What the warehouse holds for one output port. */
  getPortStatus(entityRef: string): Promise<OutputPortStatus>;
  /** The lineage graph around an entity, or of the whole mesh. */
  getLineage(options: LineageOptions): Promise<Lineage>;
}

/** The API reference of {@link DataProductsApi}. */
export const dataProductsApiRef = createApiRef<DataProductsApi>({
  id: 'plugin.data-products.api',
});
