import { AuthService } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  CatalogService,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  dataProductEntityV1alpha1Validator,
  getDataProductInputRefs,
  getOutputPortProductRef,
  isDataProductEntity,
  isOutputPortEntity,
  outputPortEntityV1alpha1Validator,
  parseDomainRef,
  parseOwnerRef,
} from '@dataproducts/plugin-data-products-common';

/**
 * Validates DataProduct and OutputPort entities and emits their relations,
 * each in both directions:
 *
 * - DataProduct `ownedBy`/`ownerOf` its owner, `partOf`/`hasPart` its
 *   Domain, `dependsOn`/`dependencyOf` each input.
 * - OutputPort `partOf`/`hasPart` its DataProduct, and `ownedBy`/`ownerOf`
 *   its own owner or, when it has none, its product's owner. The registry's
 *   entity provider fills in a port's owner, so its ports get every relation
 *   in their first round; for a port without one (from a YAML location) the
 *   product's owner is looked up in the catalog, once the product is there.
 */
export class DataProductsProcessor implements CatalogProcessor {
  private readonly catalog: CatalogService;
  private readonly auth: AuthService;
  private readonly validators = [
    dataProductEntityV1alpha1Validator,
    outputPortEntityV1alpha1Validator,
  ];

  constructor(options: { catalog: CatalogService; auth: AuthService }) {
    this.catalog = options.catalog;
    this.auth = options.auth;
  }

  getProcessorName(): string {
    return 'DataProductsProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    for (const validator of this.validators) {
      if (await validator.check(entity)) {
        return true;
      }
    }
    return false;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const self = getCompoundEntityRef(entity);
    const context = { defaultNamespace: self.namespace };
    const relate = (
      target: CompoundEntityRef,
      forward: string,
      reverse: string,
    ) => {
      emit(processingResult.relation({ source: self, type: forward, target }));
      emit(
        processingResult.relation({
          source: target,
          type: reverse,
          target: self,
        }),
      );
    };

    if (isDataProductEntity(entity)) {
      const spec = entity.spec;
      relate(
        parseOwnerRef(spec.owner, context),
        RELATION_OWNED_BY,
        RELATION_OWNER_OF,
      );
      if (spec.domain) {
        relate(
          parseDomainRef(spec.domain, context),
          RELATION_PART_OF,
          RELATION_HAS_PART,
        );
      }
      for (const input of getDataProductInputRefs(entity)) {
        relate(input, RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF);
      }
    } else if (isOutputPortEntity(entity)) {
      const productRef = getOutputPortProductRef(entity);
      relate(productRef, RELATION_PART_OF, RELATION_HAS_PART);
      const owner = entity.spec.owner
        ? parseOwnerRef(entity.spec.owner, context)
        : await this.productOwner(productRef);
      if (owner) {
        relate(owner, RELATION_OWNED_BY, RELATION_OWNER_OF);
      }
    }
    return entity;
  }

  // The owner of a port without its own: its product's owner, once the product
  // is in the catalog (until then the port has no owner relation; the next
  // processing round adds it).
  private async productOwner(
    productRef: CompoundEntityRef,
  ): Promise<CompoundEntityRef | undefined> {
    const product = await this.catalog.getEntityByRef(productRef, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    if (
      !isDataProductEntity(product) ||
      typeof product.spec?.owner !== 'string'
    ) {
      return undefined;
    }
    return parseOwnerRef(product.spec.owner, {
      defaultNamespace: productRef.namespace,
    });
  }
}
