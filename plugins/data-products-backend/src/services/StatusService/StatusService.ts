import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  RELATION_HAS_PART,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
  isError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  DataProductEntityV1alpha1,
  DataProductStatus,
  getOutputPortProductRef,
  isEntityRefOfKind,
  OUTPUT_PORT_KIND,
  OutputPortEntityV1alpha1,
  OutputPortStatus,
  parseDataProductRef,
} from '@dataproducts/plugin-data-products-common';

/** The part of the warehouse engine the status endpoints need. */
export interface DataProductInspector {
  /** Reads what the warehouse really holds for a product and compares it with its ports' contracts. */
  inspect(
    product: DataProductEntityV1alpha1,
    ports: OutputPortEntityV1alpha1[],
  ): Promise<DataProductStatus>;
}

// Error codes meaning the warehouse cannot be reached or entered, as opposed to a bug in a query.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '3D000', // invalid_catalog_name: the warehouse database is missing
  '28P01', // invalid_password
  '28000', // invalid_authorization_specification
]);

function isUnreachable(error: unknown): boolean {
  if (!isError(error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  if (error.name === 'AggregateError') {
    return ((error as unknown as AggregateError).errors ?? []).some(
      isUnreachable,
    );
  }
  return /Timeout acquiring a connection|Connection terminated/i.test(
    error.message,
  );
}

/**
 * Serves the live warehouse status of data products and output ports: reads
 * the entities from the catalog and asks the warehouse engine to inspect them.
 */
export class StatusService {
  readonly #catalog: CatalogService;
  readonly #inspector: DataProductInspector;

  constructor(options: {
    catalog: CatalogService;
    inspector: DataProductInspector;
  }) {
    this.#catalog = options.catalog;
    this.#inspector = options.inspector;
  }

  /** The status of a data product and all its output ports. */
  async getProductStatus(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<DataProductStatus> {
    const product = await this.#getEntity(ref, DATA_PRODUCT_KIND, credentials);
    return this.#inspect(product as DataProductEntityV1alpha1, credentials);
  }

  /** The status of one output port, read through its data product. */
  async getPortStatus(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<OutputPortStatus> {
    const port = (await this.#getEntity(
      ref,
      OUTPUT_PORT_KIND,
      credentials,
    )) as OutputPortEntityV1alpha1;
    const partOf = port.relations?.find(
      r =>
        r.type === RELATION_PART_OF &&
        isEntityRefOfKind(r.targetRef, DATA_PRODUCT_KIND),
    );
    const productRef = partOf
      ? parseDataProductRef(partOf.targetRef)
      : getOutputPortProductRef(port);
    const product = await this.#getEntity(
      productRef,
      DATA_PRODUCT_KIND,
      credentials,
    );
    const status = await this.#inspect(
      product as DataProductEntityV1alpha1,
      credentials,
    );
    const portStatus = status.ports.find(p => p.name === port.spec.name);
    if (!portStatus) {
      throw new NotFoundError(
        `The warehouse status of data product '${stringifyEntityRef(
          productRef,
        )}' has no port '${port.spec.name}'`,
      );
    }
    return portStatus;
  }

  async #inspect(
    product: DataProductEntityV1alpha1,
    credentials: BackstageCredentials,
  ): Promise<DataProductStatus> {
    const portRefs = (product.relations ?? [])
      .filter(
        r =>
          r.type === RELATION_HAS_PART &&
          isEntityRefOfKind(r.targetRef, OUTPUT_PORT_KIND),
      )
      .map(r => r.targetRef);
    const ports = portRefs.length
      ? (
          await this.#catalog.getEntitiesByRefs(
            { entityRefs: portRefs },
            { credentials },
          )
        ).items.filter((e): e is OutputPortEntityV1alpha1 => Boolean(e))
      : [];
    try {
      return await this.#inspector.inspect(product, ports);
    } catch (error) {
      if (isUnreachable(error)) {
        throw new ServiceUnavailableError(
          `The warehouse is unreachable: ${(error as Error).message}`,
          error,
        );
      }
      throw error;
    }
  }

  async #getEntity(
    ref: CompoundEntityRef,
    kind: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    if (!isEntityRefOfKind(ref, kind)) {
      throw new InputError(`'${stringifyEntityRef(ref)}' is not a ${kind}`);
    }
    const entity = await this.#catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `No ${kind} '${stringifyEntityRef(ref)}' in the catalog`,
      );
    }
    return entity;
  }
}
