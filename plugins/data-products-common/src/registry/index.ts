export { DataProductsRegistryClient } from './DataProductsRegistryClient';
export {
  DATA_PRODUCT_REGISTRY_CHANGES_DEFAULT_LIMIT,
  DATA_PRODUCT_REGISTRY_CHANGES_MAX_LIMIT,
  DATA_PRODUCT_REGISTRY_TOPIC,
} from './changes';
export type {
  DataProductRegistryChange,
  DataProductRegistryChangeOp,
  DataProductRegistryChangePage,
  DataProductRegistryEventPayload,
} from './changes';
export {
  DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION,
  dataProductRegistryLocation,
} from './location';
export type {
  DataProductsRegistryApi,
  DataProductsRegistryRequestOptions,
} from './DataProductsRegistryClient';
export { DATA_PRODUCT_REGISTRY_BATCH_MAX_ITEMS } from './types';
export type {
  DataProductRegistration,
  DataProductRegistrationBatch,
  DataProductRegistrationBatchResult,
  DataProductRegistrationResult,
  DataProductRegistryStatus,
  RegisteredDataProduct,
  RegisteredDataProductList,
} from './types';
