import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  DataProductEntityV1alpha1,
  OUTPUT_PORT_KIND,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import type { ResolvedInput } from '@dataproducts/plugin-data-products-node';

/**
 * Looks data products up where they are defined (the catalog in the backend,
 * fixtures in tests).
 */
export interface ProductResolver {
  /** A DataProduct and its OutputPorts, by the product's entity ref. */
  loadProduct(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{
    product: DataProductEntityV1alpha1;
    ports: OutputPortEntityV1alpha1[];
  }>;
  /**
   * The product's declared inputs that are OutputPorts, as the product and
   * port they name. Other inputs (operational tables as Resources) are skipped.
   */
  resolveInputs(
    product: DataProductEntityV1alpha1,
    credentials: BackstageCredentials,
  ): Promise<ResolvedInput[]>;
}

/** The name of the DataProduct an OutputPort belongs to. */
export function productNameOfPort(port: Entity): string {
  return parseEntityRef(String(port.spec?.dataProduct), {
    defaultKind: DATA_PRODUCT_KIND,
    defaultNamespace: port.metadata.namespace ?? 'default',
  }).name;
}

/** Whether a ref in `spec.inputs` names an OutputPort. */
export function isOutputPortRef(ref: string): boolean {
  try {
    return (
      parseEntityRef(ref).kind.toLocaleLowerCase('en-US') ===
      OUTPUT_PORT_KIND.toLocaleLowerCase('en-US')
    );
  } catch {
    return false;
  }
}

/** A {@link ProductResolver} that reads the software catalog. */
export function createCatalogProductResolver(
  catalog: CatalogService,
): ProductResolver {
  return {
    async loadProduct(entityRef, credentials) {
      const ref = parseEntityRef(entityRef, {
        defaultKind: DATA_PRODUCT_KIND,
        defaultNamespace: 'default',
      });
      if (ref.kind.toLocaleLowerCase('en-US') !== 'dataproduct') {
        throw new InputError(
          `Expected a DataProduct entity ref, got '${entityRef}'`,
        );
      }
      const product = await catalog.getEntityByRef(ref, { credentials });
      if (!product) {
        throw new NotFoundError(
          `Data product '${stringifyEntityRef(
            ref,
          )}' was not found in the catalog`,
        );
      }
      const { items } = await catalog.getEntities(
        {
          filter: {
            kind: OUTPUT_PORT_KIND,
            'spec.dataProduct': [
              ref.name,
              `dataproduct:${ref.name}`,
              `dataproduct:${ref.namespace}/${ref.name}`,
            ],
          },
        },
        { credentials },
      );
      return {
        product: product as DataProductEntityV1alpha1,
        ports: (items as OutputPortEntityV1alpha1[]).filter(
          p => productNameOfPort(p) === ref.name,
        ),
      };
    },

    async resolveInputs(product, credentials) {
      const declared: unknown = product.spec?.inputs ?? [];
      if (!Array.isArray(declared)) {
        throw new InputError(
          `Invalid spec.inputs of data product '${
            product.metadata.name
          }' ${JSON.stringify(declared)}: must be a list of entity refs`,
        );
      }
      const refs = declared.map(String).filter(isOutputPortRef);
      if (refs.length === 0) {
        return [];
      }
      const parsed = refs.map(r =>
        parseEntityRef(r, {
          defaultNamespace: product.metadata.namespace ?? 'default',
        }),
      );
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: parsed.map(p => stringifyEntityRef(p)) },
        { credentials },
      );
      return refs.map((ref, i) => {
        const port = items[i];
        if (!port) {
          throw new InputError(
            `Input '${ref}' of data product '${product.metadata.name}' was not found in the catalog`,
          );
        }
        return {
          ref,
          product: productNameOfPort(port),
          port: String(port.spec?.name),
        };
      });
    },
  };
}
