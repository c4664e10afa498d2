export { dataProductsApiRef } from './DataProductsApi';
export type { DataProductsApi, LineageOptions } from './DataProductsApi';
export { DataProductsClient } from './DataProductsClient';
export { dataProductsAccessApiRef } from './DataProductsAccessApi';
