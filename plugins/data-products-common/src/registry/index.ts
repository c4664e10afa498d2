export { DataProductsRegistryClient } from './DataProductsRegistryClient';
export { dataProductRegistryLocation } from './location';
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
