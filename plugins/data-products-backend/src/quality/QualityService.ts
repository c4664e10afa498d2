import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  getOutputPortProductRef,
  isDataProductEntity,
  isOutputPortEntity,
  type PortQuality,
  type PortQualitySummary,
} from '@dataproducts/plugin-data-products-common';
import type { WarehouseService } from '@dataproducts/plugin-data-products-node';

/**
 * Serves the recorded checks of builds (declared constraints and quality
 * rules): a port's latest results with each rule's last 30 builds, and the
 * latest outcome of every port the caller can see, for the explorer's chip.
 * What the caller may see is what the catalog shows them.
 */
export class QualityService {
  readonly #catalog: CatalogService;
  readonly #warehouse: Pick<WarehouseService, 'quality' | 'qualitySummaries'>;

  constructor(options: {
    catalog: CatalogService;
    warehouse: Pick<WarehouseService, 'quality' | 'qualitySummaries'>;
  }) {
    this.#catalog = options.catalog;
    this.#warehouse = options.warehouse;
  }

  /**
   * A port's recorded checks. Throws a `NotFoundError` when the caller cannot
   * see the port or its product.
   */
  async getPortQuality(
    portRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<PortQuality> {
    const ref = stringifyEntityRef(portRef);
    const port = await this.#catalog.getEntityByRef(ref, { credentials });
    if (!isOutputPortEntity(port)) {
      throw new NotFoundError(
        `No output port ${ref} in the catalog: check the namespace and name (the entity name, e.g. sales-crm-customers-customers)`,
      );
    }
    const productRef = stringifyEntityRef(getOutputPortProductRef(port));
    const product = await this.#catalog.getEntityByRef(productRef, {
      credentials,
    });
    if (!isDataProductEntity(product)) {
      throw new NotFoundError(
        `No data product ${productRef}, which output port ${ref} belongs to, in the catalog`,
      );
    }
    return this.#warehouse.quality(product.metadata.name, port.spec.name);
  }

  /**
   * The latest checked build of each port of the data products the caller
   * can see in the catalog (all of them, or the named ones).
   */
  async getSummaries(
    credentials: BackstageCredentials,
    products?: string[],
  ): Promise<PortQualitySummary[]> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: {
          kind: DATA_PRODUCT_KIND,
          ...(products ? { 'metadata.name': products } : {}),
        },
        fields: ['metadata.name'],
      },
      { credentials },
    );
    const visible = [...new Set(items.map(e => e.metadata.name))];
    if (visible.length === 0) {
      return [];
    }
    return this.#warehouse.qualitySummaries(visible);
  }
}
