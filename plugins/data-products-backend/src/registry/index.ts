export { RegistryStore } from './RegistryStore';
export type { RegisteredProduct, RegistryStatus } from './RegistryStore';
export { RegistryService } from './RegistryService';
export type {
  DecommissionProduct,
  RegistryPutRequest,
} from './RegistryService';
export { createRegistryRouter } from './createRegistryRouter';
