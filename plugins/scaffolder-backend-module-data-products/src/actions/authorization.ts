import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  DATA_PRODUCT_KIND,
  DATA_PRODUCTS_API_VERSION,
  DATA_PRODUCT_RESOURCE_TYPE,
  dataProductEntityRef,
  DataProductsRegistryClient,
  dataProductUpdatePermission,
  validateEntityName,
  type DataProductEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import type {
  DataProductAuthorizer,
  WarehouseService,
} from '@dataproducts/plugin-data-products-node';

/**
 * Where a product's definition (and so its owner) is found: the catalog,
 * then the registry of self-service products, which the catalog publishes
 * a few seconds later. Undefined when neither has it.
 */
export type ProductDefinitions = (
  name: string,
  credentials: BackstageCredentials,
) => Promise<Entity | undefined>;

/** Product definitions from the catalog and the data-products registry, read as the task's user. */
export function createProductDefinitions(options: {
  catalog: CatalogService;
  discovery: DiscoveryService;
  auth: AuthService;
}): ProductDefinitions {
  const { catalog, discovery, auth } = options;
  const registry = new DataProductsRegistryClient({ discoveryApi: discovery });
  return async (name, credentials) => {
    const catalogued = await catalog.getEntityByRef(
      dataProductEntityRef(name),
      { credentials },
    );
    if (catalogued) return catalogued;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'data-products',
    });
    try {
      return (await registry.getProduct(name, { token })).product;
    } catch (error) {
      if (
        isError(error) &&
        error.name === 'ResponseError' &&
        (error as { statusCode?: number }).statusCode === 404
      ) {
        return undefined;
      }
      throw error;
    }
  };
}

/**
 * A product provisioned in the warehouse that neither the catalog nor the
 * registry defines: its owner is unknown, so only administrators manage it.
 */
function ownerless(name: string): DataProductEntityV1alpha1 {
  return {
    apiVersion: DATA_PRODUCTS_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata: { name },
    spec: {} as DataProductEntityV1alpha1['spec'],
  };
}

/**
 * Authorizes what the `dataproduct:*` actions do, with the task user's
 * credentials, against the product's definition where it is kept (never
 * against the entity a task passes in, which anyone can write).
 */
export class ProductAuthorization {
  constructor(
    private readonly options: {
      authorizer: Pick<DataProductAuthorizer, 'authorize' | 'authorizeCreate'>;
      definitions: ProductDefinitions;
      warehouse: Pick<WarehouseService, 'inspect'>;
    },
  ) {}

  /**
   * Throws a `NotAllowedError` naming the permission unless the user may use
   * it on the product named `name`.
   */
  async authorize(request: {
    credentials: BackstageCredentials;
    permission: ResourcePermission<typeof DATA_PRODUCT_RESOURCE_TYPE>;
    name: string;
  }): Promise<void> {
    const { credentials, permission, name } = request;
    const definition = await this.options.definitions(name, credentials);
    await this.options.authorizer.authorize({
      credentials,
      permission,
      product: definition ?? ownerless(name),
    });
  }

  /**
   * Provisioning changes an existing product (`dataproduct.update` on its
   * definition) or creates one (`dataproduct.create`, for one of the user's
   * own groups).
   */
  async authorizeProvision(request: {
    credentials: BackstageCredentials;
    product: DataProductEntityV1alpha1;
  }): Promise<void> {
    const { credentials, product } = request;
    const name = product.metadata.name;
    const nameRule = validateEntityName(name);
    if (nameRule) {
      throw new InputError(
        `Invalid data product name ${JSON.stringify(name)}: ${nameRule}`,
      );
    }
    const definition = await this.options.definitions(name, credentials);
    if (definition) {
      await this.options.authorizer.authorize({
        credentials,
        permission: dataProductUpdatePermission,
        product: definition,
      });
    } else if ((await this.options.warehouse.inspect(name)).provisioned) {
      await this.options.authorizer.authorize({
        credentials,
        permission: dataProductUpdatePermission,
        product: ownerless(name),
      });
    } else {
      await this.options.authorizer.authorizeCreate({ credentials, product });
    }
  }
}
