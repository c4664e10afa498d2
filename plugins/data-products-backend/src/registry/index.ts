export { RegistryStore } from './RegistryStore';
export { RegistryService } from './RegistryService';
export type { DecommissionProduct } from './RegistryService';
export { createRegistryRouter } from './createRegistryRouter';
