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

/** Model SQL being written in the compose form, for `POST /models/check`. */
export interface ModelCheckRequest {
  /** The draft product: its entity name, schema and declared input port refs. */
  product: { name: string; schema: string; inputs: string[] };
  /** The output port the model fills. */
  port: string;
  /** The model SQL with `{{ source('<product>', '<port>') }}` references. */
  model: string;
}

/** What PostgreSQL infers from a draft model: its columns in `format_type()` spelling. */
export interface ModelCheckResult {
  columns: Array<{ name: string; type: string }>;
  /** The SQL that would run: the checked tree deparsed, inputs resolved. */
  sql: string;
}

/** The data products backend: live warehouse status and lineage. */
export interface DataProductsApi {
  /** What the warehouse holds for a data product and its output ports. */
  getProductStatus(entityRef: string): Promise<DataProductStatus>;
  /** What the warehouse holds for one output port. */
  getPortStatus(entityRef: string): Promise<OutputPortStatus>;
  /** The lineage graph around an entity, or of the whole mesh. */
  getLineage(options: LineageOptions): Promise<Lineage>;
  /** The columns and types PostgreSQL infers from draft model SQL; rejects with the model's error (line and column). */
  checkModel(request: ModelCheckRequest): Promise<ModelCheckResult>;
}

/** The API reference of {@link DataProductsApi}. */
export const dataProductsApiRef = createApiRef<DataProductsApi>({
  id: 'plugin.data-products.api',
});
