import type {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION,
  DATA_PRODUCT_RESOURCE_TYPE,
  dataProductAccessRequestPermission,
  dataProductCreatePermission,
  dataProductPermissions,
} from '@dataproducts/plugin-data-products-common';
import {
  createDataProductConditionalDecision,
  dataProductConditions,
} from '@dataproducts/plugin-data-products-node';
import type { UserClaims } from './UserClaims';

const DATA_PRODUCT_PERMISSION_NAMES = new Set(
  dataProductPermissions.map(permission => permission.name),
);

/** What every signed-in user may do: create products and ask for access. */
const EVERY_USER = new Set([
  dataProductCreatePermission.name,
  dataProductAccessRequestPermission.name,
]);

/**
 * Unregistering an entity in the catalog, for everyone: allowed unless the
 * data products registry provides the entity. Removing only the catalog's
 * copy of a registered product would leave its schema, roles and grants in
 * the warehouse; such products are deleted (decommissioned) from their page.
 * The condition is the catalog's own `HAS_ANNOTATION` rule, so the catalog
 * disables Unregister for them and refuses `DELETE /entities/by-uid/:uid`.
 */
const CATALOG_ENTITY_DELETE: PolicyDecision = {
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: {
    not: {
      rule: 'HAS_ANNOTATION',
      resourceType: 'catalog-entity',
      params: { annotation: DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION },
    },
  },
};

const isUser = (
  user: PolicyQueryUser | undefined,
): user is PolicyQueryUser & {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
} =>
  (user?.credentials.principal as { type?: unknown } | undefined)?.type ===
  'user';

/**
 * The portal's permission policy. On data products: members of the admin
 * groups may do everything; every signed-in user may create products and
 * request access; the rest (update, refresh, decommission, approve and
 * revoke access, preview) is for the product's owners, members of its owning
 * group directly or through parent groups, as a condition the data products
 * plugin applies to the product. Anyone not signed in is refused. The
 * catalog may not unregister the registry's products (they are deleted from
 * their page, which decommissions them). Every other plugin's permission is
 * allowed, as the allow-all policy the portal ran before did.
 */
export class DataProductsPermissionPolicy implements PermissionPolicy {
  readonly #claims: Pick<UserClaims, 'forUser'>;
  readonly #adminGroups: Set<string>;

  constructor(options: {
    claims: Pick<UserClaims, 'forUser'>;
    /** Full group refs whose members manage every product. */
    adminGroups: readonly string[];
  }) {
    this.#claims = options.claims;
    this.#adminGroups = new Set(
      options.adminGroups.map(group => group.toLocaleLowerCase('en-US')),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const ours =
      DATA_PRODUCT_PERMISSION_NAMES.has(permission.name) ||
      isResourcePermission(permission, DATA_PRODUCT_RESOURCE_TYPE);
    if (permission.name === 'catalog.entity.delete') {
      return CATALOG_ENTITY_DELETE;
    }
    if (!ours) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!isUser(user)) {
      return { result: AuthorizeResult.DENY };
    }
    if (EVERY_USER.has(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = await this.#claims.forUser(user.credentials);
    if (claims.some(claim => this.#adminGroups.has(claim))) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isResourcePermission(permission, DATA_PRODUCT_RESOURCE_TYPE)) {
      return createDataProductConditionalDecision(
        permission,
        dataProductConditions.isDataProductOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}
