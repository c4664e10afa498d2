/**
 * The catalog backend module for the DataProduct and OutputPort kinds.
 *
 * @packageDocumentation
 */
export { catalogModuleDataProducts as default } from './module';
export { DataProductsProcessor } from './processor/DataProductsProcessor';
export {
  DataProductRegistryEntityProvider,
  ANNOTATION_REGISTRY_ERROR,
  ANNOTATION_REGISTRY_STATUS,
} from './provider';
