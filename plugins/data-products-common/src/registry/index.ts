export { DataProductsRegistryClient } from './DataProductsRegistryClient';
export {
  DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION,
  dataProductRegistryLocation,
} from './location';
export type {
  DataProductsRegistryApi,
  DataProductsRegistryRequestOptions,
} from './DataProductsRegistryClient';
export type {
  DataProductRegistration,
  DataProductRegistrationResult,
  DataProductRegistryStatus,
  RegisteredDataProduct,
  RegisteredDataProductList,
} from './types';
