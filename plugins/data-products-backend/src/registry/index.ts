export { RegistryStore } from './RegistryStore';
export type { RegisteredProduct, RegistryStatus } from './RegistryStore';
export { RegistryService } from './RegistryService';
export type {
  DecommissionProduct,
  RegistryPutRequest,
  ValidateProduct,
} from './RegistryService';
export { createRegistryRouter } from './createRegistryRouter';
