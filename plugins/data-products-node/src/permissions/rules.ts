import {
  DEFAULT_NAMESPACE,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { EntitiesSearchFilter } from '@backstage/plugin-catalog-node';
import {
  createPermissionRule,
  type CreatePermissionRuleOptions,
  type PermissionRule,
} from '@backstage/plugin-permission-node';
import {
  DATA_PRODUCT_RESOURCE_TYPE,
  getEntityNamespace,
  parseOwnerRef,
} from '@dataproducts/plugin-data-products-common';
import { dataProductPermissionResourceRef } from './resource';

/**
 * The parameters of both data product rules: `claims`, the entity refs that
 * stand for the user (the user and every group it belongs to, parent groups
 * included).
 */
export type DataProductClaimsParams = { claims: string[] };

/** A rule of the data-product resource type. */
export type DataProductPermissionRule = PermissionRule<
  Entity,
  EntitiesSearchFilter,
  typeof DATA_PRODUCT_RESOURCE_TYPE,
  DataProductClaimsParams
>;

const CLAIMS_JSON_SCHEMA = {
  type: 'object',
  properties: {
    claims: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Entity refs that stand for the user: the user and every group it belongs to, parent groups included',
    },
  },
  required: ['claims'],
  additionalProperties: false,
};

/**
 * The rules' parameter schema, a Standard Schema with a JSON Schema as the
 * permission framework asks of rule parameters (the package carries no schema
 * library for one object with one array).
 */
const claimsParamsSchema: NonNullable<
  CreatePermissionRuleOptions<
    typeof dataProductPermissionResourceRef,
    DataProductClaimsParams
  >['paramsSchema']
> = {
  '~standard': {
    version: 1,
    vendor: 'dataproducts',
    validate(value) {
      const claims = (value as { claims?: unknown } | null)?.claims;
      return Array.isArray(claims) && claims.every(c => typeof c === 'string')
        ? { value: { claims } }
        : {
            issues: [
              { message: 'claims must be an array of entity refs (strings)' },
            ],
          };
    },
    jsonSchema: {
      input: () => CLAIMS_JSON_SCHEMA,
      output: () => CLAIMS_JSON_SCHEMA,
    },
  },
};

const normalize = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The product's owner refs: its `spec.owner` (resolved as the catalog
 * resolves it) and its `ownedBy` relations, lower-cased as the catalog
 * compares refs.
 */
function ownerRefs(product: Entity): string[] {
  const refs =
    product.relations
      ?.filter(relation => relation.type === RELATION_OWNED_BY)
      .map(relation => relation.targetRef) ?? [];
  const owner = (product.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner === 'string') {
    try {
      refs.push(
        stringifyEntityRef(
          parseOwnerRef(owner, {
            defaultNamespace: getEntityNamespace(product),
          }),
        ),
      );
    } catch {
      // An owner that is no Group or User ref owns nothing: the rule does not match.
    }
  }
  return refs.map(normalize);
}

/** The data product rules, for the admin groups a deployment configures. */
export type DataProductPermissionRules = {
  /** The user owns the product: one of the claims is its owner. */
  isDataProductOwner: DataProductPermissionRule;
  /** The user is a data product administrator: one of the claims is an admin group. */
  isDataProductAdmin: DataProductPermissionRule;
};

function createOwnerRule(): DataProductPermissionRule {
  return createPermissionRule({
    name: 'IS_DATA_PRODUCT_OWNER',
    description:
      "Allow when the user is a member of the data product's owning group, directly or through parent groups",
    resourceRef: dataProductPermissionResourceRef,
    paramsSchema: claimsParamsSchema,
    apply(product, { claims }) {
      const owners = ownerRefs(product);
      return claims.some(claim => owners.includes(normalize(claim)));
    },
    toQuery: ({ claims }) => ({
      key: `relations.${RELATION_OWNED_BY}`,
      values: claims.map(normalize),
    }),
  });
}

/**
 * The rules of the data-product resource type. `isDataProductAdmin` matches
 * whatever the product when a claim is one of `adminGroups` (the
 * `dataProducts.permissions.adminGroups` config).
 */
export function createDataProductPermissionRules(options: {
  adminGroups: readonly string[];
}): DataProductPermissionRules {
  const adminGroups = options.adminGroups.map(normalize);
  const isAdmin = (claims: string[]) =>
    claims.some(claim => adminGroups.includes(normalize(claim)));
  return {
    isDataProductOwner: createOwnerRule(),
    isDataProductAdmin: createPermissionRule({
      name: 'IS_DATA_PRODUCT_ADMIN',
      description:
        'Allow on every data product when the user belongs to one of the admin groups in dataProducts.permissions.adminGroups',
      resourceRef: dataProductPermissionResourceRef,
      paramsSchema: claimsParamsSchema,
      apply: (_product, { claims }) => isAdmin(claims),
      toQuery: ({ claims }) =>
        isAdmin(claims)
          ? { key: 'kind', values: ['dataproduct'] }
          : { not: { key: 'kind', values: ['dataproduct'] } },
    }),
  };
}

/**
 * The groups of `dataProducts.permissions.adminGroups` as full entity refs
 * (`data-platform` is `group:default/data-platform`); none when unset.
 */
export function readDataProductAdminGroups(config: Config): string[] {
  return (
    config.getOptionalStringArray('dataProducts.permissions.adminGroups') ?? []
  ).map(group =>
    stringifyEntityRef(
      parseEntityRef(group, {
        defaultKind: 'group',
        defaultNamespace: DEFAULT_NAMESPACE,
      }),
    ),
  );
}
