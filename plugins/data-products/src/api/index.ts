export { dataProductsApiRef } from './DataProductsApi';
export type {
  DataProductsApi,
  LineageOptions,
  ModelCheckRequest,
  ModelCheckResult,
} from './DataProductsApi';
export { DataProductsClient } from './DataProductsClient';
export { dataProductsAccessApiRef } from './DataProductsAccessApi';
export { dataProductsColumnLineageApiRef } from './DataProductsColumnLineageApi';
export type { DataProductsColumnLineageApi } from './DataProductsColumnLineageApi';
export { DataProductsColumnLineageClient } from './DataProductsColumnLineageClient';
export { dataProductsFreshnessApiRef } from './DataProductsFreshnessApi';
export type { DataProductsFreshnessApi } from './DataProductsFreshnessApi';
export { DataProductsFreshnessClient } from './DataProductsFreshnessClient';
export { dataProductsConsumersApiRef } from './DataProductsConsumersApi';
export type { DataProductsConsumersApi } from './DataProductsConsumersApi';
export { DataProductsConsumersClient } from './DataProductsConsumersClient';
export { dataProductsExplorerApiRef } from './DataProductsExplorerApi';
export type { DataProductsExplorerApi } from './DataProductsExplorerApi';
export { DataProductsExplorerClient } from './DataProductsExplorerClient';
export {
  dataProductsMeshApiRef,
  DataProductsMeshClient,
} from './DataProductsMeshApi';
export type { DataProductsMeshApi } from './DataProductsMeshApi';
