import { createApiRef } from '@backstage/core-plugin-api';
import type {
  PortQuality,
  PortQualitySummary,
} from '@dataproducts/plugin-data-products-common';

/** The recorded checks of builds (the data products backend's quality routes). */
export interface DataProductsQualityApi {
  /** One output port's latest check results, with each rule's last 30 builds. */
  getPortQuality(entityRef: string): Promise<PortQuality>;
  /** The latest checked build of each port of the named data products (entity names), or of all. */
  getQualitySummaries(products?: string[]): Promise<PortQualitySummary[]>;
}

/** The API reference of {@link DataProductsQualityApi}. */
export const dataProductsQualityApiRef = createApiRef<DataProductsQualityApi>({
  id: 'plugin.data-products.quality',
});
