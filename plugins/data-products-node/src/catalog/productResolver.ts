import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  dataProductRefSpellings,
  DataProductEntityV1alpha1,
  getDataProductInputPortRefs,
  getOutputPortProductRef,
  isOutputPortEntity,
  isSameEntityRef,
  OUTPUT_PORT_KIND,
  OutputPortEntityV1alpha1,
  parseDataProductRef,
} from '@dataproducts/plugin-data-products-common';
import type { ResolvedInput } from '../engine/types';

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
   * The product's declared inputs that are OutputPorts (those written without
   * a kind included), as the product and port they name. Other inputs
   * (operational tables as Resources) are skipped.
   */
  resolveInputs(
    product: DataProductEntityV1alpha1,
    credentials: BackstageCredentials,
  ): Promise<ResolvedInput[]>;
}

function inputPortRefs(product: DataProductEntityV1alpha1) {
  const declared: unknown = product.spec?.inputs ?? [];
  if (!Array.isArray(declared)) {
    throw new InputError(
      `Invalid spec.inputs of data product '${
        product.metadata.name
      }' ${JSON.stringify(declared)}: must be a list of entity refs`,
    );
  }
  if (declared.length === 0) {
    return [];
  }
  try {
    return getDataProductInputPortRefs(product);
  } catch (error) {
    throw new InputError(
      `Invalid spec.inputs of data product '${product.metadata.name}': ${
        (error as Error).message
      }; write each input as an OutputPort ref (outputport:<name>, or the bare name) or a source Resource (resource:<name>)`,
    );
  }
}

/** A {@link ProductResolver} that reads the software catalog. */
export function createCatalogProductResolver(
  catalog: CatalogService,
): ProductResolver {
  return {
    async loadProduct(entityRef, credentials) {
      let ref;
      try {
        ref = parseDataProductRef(entityRef);
      } catch (error) {
        throw new InputError(
          `Expected a DataProduct entity ref, got '${entityRef}': ${
            (error as Error).message
          }`,
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
            'spec.dataProduct': dataProductRefSpellings(ref),
          },
        },
        { credentials },
      );
      return {
        product: product as DataProductEntityV1alpha1,
        ports: items
          .filter(isOutputPortEntity)
          .filter(port => isSameEntityRef(getOutputPortProductRef(port), ref)),
      };
    },

    async resolveInputs(product, credentials) {
      const inputs = inputPortRefs(product);
      if (inputs.length === 0) {
        return [];
      }
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: inputs.map(input => stringifyEntityRef(input.ref)) },
        { credentials },
      );
      return inputs.map(({ written }, i) => {
        const port = items[i];
        if (!isOutputPortEntity(port)) {
          throw new InputError(
            `Input '${written}' of data product '${product.metadata.name}' was not found in the catalog`,
          );
        }
        return {
          ref: written,
          product: getOutputPortProductRef(port).name,
          port: port.spec.name,
        };
      });
    },
  };
}
