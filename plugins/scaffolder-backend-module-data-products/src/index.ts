/**
 * Scaffolder actions that provision data products in PostgreSQL.
 *
 * @packageDocumentation
 */
export { scaffolderModuleDataProducts as default } from './module';
export { createProvisionAction } from './actions/provision';
export { createRefreshAction } from './actions/refresh';
export { createGrantAction, createRevokeAction } from './actions/access';
export { createDecommissionAction } from './actions/decommission';
export { createRegisterAction } from './actions/register';
export {
  createCatalogProductResolver,
  type ProductResolver,
} from '@dataproducts/plugin-data-products-node';
export {
  createProductDefinitions,
  ProductAuthorization,
  type ProductDefinitions,
} from './actions/authorization';
