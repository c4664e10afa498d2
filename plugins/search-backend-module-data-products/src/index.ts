/**
 * The search backend module that indexes data products and output ports with
 * their columns.
 *
 * @packageDocumentation
 */
export { searchModuleDataProducts as default } from './module';
export {
  createDataProductsEntityTransformer,
  dataProductsEntityTransformer,
} from './dataProductsEntityTransformer';
export { ProductDirectory } from './productDirectory';
export type { ProductSummary } from './productDirectory';
