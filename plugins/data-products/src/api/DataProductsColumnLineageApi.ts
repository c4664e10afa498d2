import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ColumnImpact,
  PortColumnLineage,
} from '@dataproducts/plugin-data-products-common';

/** Column lineage and impact analysis (the data products backend's column routes). */
export interface DataProductsColumnLineageApi {
  /** A port's columns, each with its upstream columns back to the source tables and its downstream consumer columns. */
  getPortColumns(
    entityRef: string,
    options?: { upstream?: number; downstream?: number },
  ): Promise<PortColumnLineage>;
  /** The consumer columns derived from one column of a port, transitively. */
  getColumnImpact(entityRef: string, column: string): Promise<ColumnImpact>;
}

/** The API reference of {@link DataProductsColumnLineageApi}. */
export const dataProductsColumnLineageApiRef =
  createApiRef<DataProductsColumnLineageApi>({
    id: 'plugin.data-products.column-lineage',
  });
