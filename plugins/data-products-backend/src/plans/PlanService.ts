import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  dataProductEntityRef,
  dataProductUpdatePermission,
  type DataProductEntityV1alpha1,
  type DataProductPlan,
} from '@dataproducts/plugin-data-products-common';
import {
  createCatalogProductResolver,
  type DataProductAuthorizer,
  type WarehouseService,
} from '@dataproducts/plugin-data-products-node';
import { authorizeOnProduct } from '../access/authorizeOnProduct';
import { checkRegistration } from '../registry/checkRegistration';
import type { RegistryStore } from '../registry';

/** What `POST /plans` answers. */
export type ProductPlan = DataProductPlan;

/** What the plan service needs. */
export interface PlanServiceOptions {
  catalog: CatalogService;
  store: Pick<RegistryStore, 'get'>;
  warehouse: Pick<WarehouseService, 'diff' | 'plan' | 'inspect'>;
  /** Decides `dataproduct.update` on an existing product. */
  permissions: PermissionsService;
  /** Decides `dataproduct.create` for a new product. */
  authorizer: Pick<DataProductAuthorizer, 'authorizeCreate'>;
}

/**
 * Plans a change to a data product before it is applied, for a caller
 * allowed `dataproduct.update` on the product (its definition in the catalog
 * or the registry, never the one sent) or `dataproduct.create` for a new one.
 * The body is the product the templates provision, checked by the kinds'
 * validators; the answer is the dry-run plan's steps and its diff.
 */
export class PlanService {
  constructor(private readonly options: PlanServiceOptions) {}

  async plan(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<ProductPlan> {
    const name = (body as { product?: { metadata?: { name?: unknown } } })
      ?.product?.metadata?.name;
    if (typeof name !== 'string') {
      throw new InputError(
        'Invalid plan request: product.metadata.name must be a string. Send { product, ports } as the templates provision them',
      );
    }
    const { product, ports } = checkRegistration(name, body);
    await this.#authorize(product, credentials);
    const inputs = await createCatalogProductResolver(
      this.options.catalog,
    ).resolveInputs(product, credentials);
    const request = { product, ports, inputs };
    const diff = await this.options.warehouse.diff(request);
    const answer = { product: name, schema: product.spec.schema, diff };
    try {
      const plan = await this.options.warehouse.plan(request);
      return {
        ...answer,
        steps: plan.steps.map(({ id, description }) => ({ id, description })),
      };
    } catch (error) {
      // What the author must fix is part of the answer; anything else fails the request.
      if (
        isError(error) &&
        (error.name === ConflictError.name || error.name === InputError.name)
      ) {
        return {
          ...answer,
          steps: [],
          problem: { name: error.name, message: error.message },
        };
      }
      throw error;
    }
  }

  async #authorize(
    product: DataProductEntityV1alpha1,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const name = product.metadata.name;
    const ref = dataProductEntityRef(name);
    const exists =
      !!(await this.options.catalog.getEntityByRef(ref, { credentials })) ||
      !!(await this.options.store.get(name)) ||
      (await this.options.warehouse.inspect(name)).provisioned;
    if (exists) {
      // Decided by the permission framework on the product's own definition
      // (the catalog's or the registry's), never on the one sent.
      await authorizeOnProduct(
        this.options.permissions,
        {
          permission: dataProductUpdatePermission,
          product: ref,
          doing: 'update',
        },
        credentials,
      );
    } else {
      await this.options.authorizer.authorizeCreate({ credentials, product });
    }
  }
}
