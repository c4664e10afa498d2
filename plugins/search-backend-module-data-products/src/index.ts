/**
 * The search backend module that indexes data products and output ports with
 * their columns.
 *
 * @packageDocumentation
 */
export { searchModuleDataProducts as default } from './module';
export { dataProductsEntityTransformer } from './dataProductsEntityTransformer';
