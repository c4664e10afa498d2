export { RegistryStore } from './RegistryStore';
export { RegistryService } from './RegistryService';
export type { RegistryServiceOptions } from './RegistryService';
export {
  createRegistryRouter,
  REGISTRY_BODY_LIMIT,
} from './createRegistryRouter';
