export { dataProductsApiRef } from './DataProductsApi';
export type {
  DataProductsApi,
  LineageOptions,
  ModelCheckRequest,
  ModelCheckResult,
} from './DataProductsApi';
export { DataProductsClient } from './DataProductsClient';
export { dataProductsAccessApiRef } from './DataProductsAccessApi';
