/**
 * The data product portal's permission policy: owners manage their data
 * products, members of the configured admin groups manage all, everyone
 * signed in creates products and requests access.
 *
 * @packageDocumentation
 */
export { permissionModuleDataProductsPolicy as default } from './module';
export { DataProductsPermissionPolicy } from './DataProductsPermissionPolicy';
export { UserClaims } from './UserClaims';
