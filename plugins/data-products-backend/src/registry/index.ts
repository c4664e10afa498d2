export { RegistryStore } from './RegistryStore';
export type { RegistryStoreOptions } from './RegistryStore';
export {
  readRegistryChangeRetention,
  scheduleRegistryChangePruning,
} from './pruneRegistryChanges';
export { RegistryService } from './RegistryService';
export type { RegistryServiceOptions } from './RegistryService';
export {
  createRegistryRouter,
  REGISTRY_BODY_LIMIT,
} from './createRegistryRouter';
