import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  isResourcePermission,
  type BasicPermission,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  DATA_PRODUCT_RESOURCE_TYPE,
  dataProductCreatePermission,
  dataProductUpdatePermission,
  getEntityNamespace,
  parseOwnerRef,
} from '@dataproducts/plugin-data-products-common';
import {
  createDataProductPermissionRules,
  readDataProductAdminGroups,
  type DataProductPermissionRule,
} from './rules';

/** One question: may these credentials do this to this product? */
export interface DataProductAuthorizeRequest {
  credentials: BackstageCredentials;
  /** A data-product permission, or `dataproduct.create` (basic). */
  permission:
    | ResourcePermission<typeof DATA_PRODUCT_RESOURCE_TYPE>
    | BasicPermission;
  /**
   * The DataProduct entity decided on: the catalog's, the registry's, or the
   * one about to be created. Conditions of the policy are applied to it.
   */
  product: Entity;
}

const VERBS: Record<string, string> = {
  'dataproduct.create': 'create',
  'dataproduct.update': 'update',
  'dataproduct.refresh': 'refresh',
  'dataproduct.decommission': 'decommission',
  'dataproduct.access.request': 'request access to',
  'dataproduct.access.approve': 'approve access to',
  'dataproduct.access.revoke': 'revoke access to',
  'dataproduct.preview': 'preview',
};

const entityRefOf = (product: Entity) =>
  stringifyEntityRef({
    kind: product.kind,
    namespace: getEntityNamespace(product),
    name: product.metadata.name,
  });

function ownerOf(product: Entity): string | undefined {
  const owner = (product.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string') return undefined;
  try {
    return stringifyEntityRef(
      parseOwnerRef(owner, { defaultNamespace: getEntityNamespace(product) }),
    );
  } catch {
    return owner;
  }
}

/**
 * Decides data-product permissions against a product entity, with the
 * caller's credentials: asks the permission policy and applies its
 * conditions (`isDataProductOwner`, `isDataProductAdmin`) to the given entity
 * here, so a product the catalog does not show yet (or one about to be
 * created) is decided the same way as any other.
 */
export class DataProductAuthorizer {
  readonly #permissions: PermissionsService;
  readonly #applyConditions: (
    decision: PolicyDecision,
    product: Entity,
  ) => boolean;

  /** An authorizer whose admin groups come from `dataProducts.permissions.adminGroups`. */
  static fromConfig(
    config: Config,
    options: { permissions: PermissionsService },
  ): DataProductAuthorizer {
    return new DataProductAuthorizer({
      permissions: options.permissions,
      adminGroups: readDataProductAdminGroups(config),
    });
  }

  constructor(options: {
    permissions: PermissionsService;
    /** Admin group refs, as `isDataProductAdmin` matches them. */
    adminGroups: readonly string[];
  }) {
    this.#permissions = options.permissions;
    const rules: DataProductPermissionRule[] = Object.values(
      createDataProductPermissionRules({ adminGroups: options.adminGroups }),
    );
    this.#applyConditions = createConditionAuthorizer<Entity>({
      getRuleByName(name: string) {
        const rule = rules.find(r => r.name === name);
        if (!rule) {
          throw new Error(
            `The permission policy gave a condition with rule ${name}, which data products do not have; use ${rules
              .map(r => r.name)
              .join(' or ')}`,
          );
        }
        return rule;
      },
    });
  }

  /** Whether the request is allowed. */
  async isAllowed(request: DataProductAuthorizeRequest): Promise<boolean> {
    const { credentials, permission, product } = request;
    if (isResourcePermission(permission, DATA_PRODUCT_RESOURCE_TYPE)) {
      const [decision] = await this.#permissions.authorizeConditional(
        [{ permission }],
        { credentials },
      );
      return this.#applyConditions(decision, product);
    }
    const [decision] = await this.#permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /**
   * Whether each request is allowed, for one caller: the policy is asked
   * once per distinct permission, and its conditions are applied to each
   * product here, so a batch of a hundred products costs two questions.
   */
  async areAllowed(
    credentials: BackstageCredentials,
    requests: ReadonlyArray<Omit<DataProductAuthorizeRequest, 'credentials'>>,
  ): Promise<boolean[]> {
    const permissions = new Map(
      requests.map(({ permission }) => [permission.name, permission]),
    );
    const decide = new Map<string, (product: Entity) => boolean>();
    await Promise.all(
      [...permissions.values()].map(async permission => {
        if (isResourcePermission(permission, DATA_PRODUCT_RESOURCE_TYPE)) {
          const [decision] = await this.#permissions.authorizeConditional(
            [{ permission }],
            { credentials },
          );
          decide.set(permission.name, product =>
            this.#applyConditions(decision, product),
          );
        } else {
          const [decision] = await this.#permissions.authorize(
            [{ permission }],
            { credentials },
          );
          const allowed = decision.result === AuthorizeResult.ALLOW;
          decide.set(permission.name, () => allowed);
        }
      }),
    );
    return requests.map(({ permission, product }) =>
      decide.get(permission.name)!(product),
    );
  }

  /**
   * Throws a `NotAllowedError` naming the permission and the product, and
   * who can help, unless the request is allowed.
   */
  async authorize(request: DataProductAuthorizeRequest): Promise<void> {
    if (await this.isAllowed(request)) return;
    const { permission, product } = request;
    const verb = VERBS[permission.name] ?? `use ${permission.name} on`;
    const owner = ownerOf(product);
    throw new NotAllowedError(
      `You are not allowed to ${verb} data product ${entityRefOf(
        product,
      )}: permission ${permission.name} was denied. Ask ${
        owner ? `a member of its owner ${owner} or ` : ''
      }a data product administrator.`,
    );
  }

  /**
   * Creating a product needs `dataproduct.create`, and that the caller could
   * manage the new product (`dataproduct.update` on it): nobody creates
   * products in another team's name. Throws a `NotAllowedError` otherwise.
   */
  async authorizeCreate(request: {
    credentials: BackstageCredentials;
    product: Entity;
  }): Promise<void> {
    const { credentials, product } = request;
    await this.authorize({
      credentials,
      permission: dataProductCreatePermission,
      product,
    });
    if (
      await this.isAllowed({
        credentials,
        permission: dataProductUpdatePermission,
        product,
      })
    ) {
      return;
    }
    throw new NotAllowedError(
      `You are not allowed to create data product ${entityRefOf(
        product,
      )} owned by ${
        ownerOf(product) ?? 'nobody'
      }: you could not manage it (permission ${
        dataProductUpdatePermission.name
      } on it was denied). Name one of your groups in spec.owner, or ask a data product administrator.`,
    );
  }
}
