import { createApiRef } from '@backstage/core-plugin-api';
import type {
  PortConnection,
  PortPreview,
  PortSizeInfo,
} from '@dataproducts/plugin-data-products-common';

/** What a consumer needs on an output port's page (the data products backend's consumer routes). */
export interface DataProductsConsumersApi {
  /** How to connect: server, psql, JDBC, SQL with my reading role, and `source()`. */
  getPortConnection(entityRef: string): Promise<PortConnection>;
  /** The first 20 rows; rejects with a 403 `ResponseError` when preview is not allowed. */
  getPortPreview(entityRef: string): Promise<PortPreview>;
  /** Row count (counted or estimated) and size on disk. */
  getPortSize(entityRef: string): Promise<PortSizeInfo>;
}

/** The API reference of {@link DataProductsConsumersApi}. */
export const dataProductsConsumersApiRef =
  createApiRef<DataProductsConsumersApi>({
    id: 'plugin.data-products.consumers',
  });
