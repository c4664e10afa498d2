import { createConditionExports } from '@backstage/plugin-permission-node';
import { dataProductPermissionResourceRef } from './resource';
import { createDataProductPermissionRules } from './rules';

// A condition carries only its rule's name and parameters; wherever it is
// applied, the rules are made with the configured admin groups.
const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: dataProductPermissionResourceRef,
  rules: createDataProductPermissionRules({ adminGroups: [] }),
});

/**
 * Conditions on data products for permission policies:
 * `dataProductConditions.isDataProductOwner({ claims })` and
 * `dataProductConditions.isDataProductAdmin({ claims })`.
 */
export const dataProductConditions = conditions;

/**
 * A conditional decision on a data-product permission, for permission
 * policies: `createDataProductConditionalDecision(permission,
 * dataProductConditions.isDataProductOwner({ claims }))`.
 */
export const createDataProductConditionalDecision = createConditionalDecision;
