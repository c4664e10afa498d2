export { dataProductPermissionResourceRef } from './resource';
export {
  createDataProductPermissionRules,
  readDataProductAdminGroups,
} from './rules';
export type {
  DataProductClaimsParams,
  DataProductPermissionRule,
  DataProductPermissionRules,
} from './rules';
export {
  dataProductConditions,
  createDataProductConditionalDecision,
} from './conditions';
export { DataProductAuthorizer } from './DataProductAuthorizer';
export type { DataProductAuthorizeRequest } from './DataProductAuthorizer';
export { dataProductAuthorizerServiceRef } from './service';
