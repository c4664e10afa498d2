export {
  DataProductRegistryEntityProvider,
  DEFAULT_REGISTRY_SCHEDULE,
  ANNOTATION_REGISTRY_ERROR,
  ANNOTATION_REGISTRY_STATUS,
} from './DataProductRegistryEntityProvider';
