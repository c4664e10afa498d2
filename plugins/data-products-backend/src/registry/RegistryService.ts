import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DATA_PRODUCTS_API_VERSION,
  DATA_PRODUCT_KIND,
  getDataProductInputRefs,
  OUTPUT_PORT_KIND,
  validateDataProductEntity,
  validateOutputPortEntity,
  type DataProductEntityV1alpha1,
  type OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import {
  RegistryStore,
  type RegisteredProduct,
  type RegistryStatus,
} from './RegistryStore';

/** Removes a product's schema, roles and port objects from the warehouse. */
export type DecommissionProduct = (
  product: DataProductEntityV1alpha1,
  ports: OutputPortEntityV1alpha1[],
) => Promise<void>;

/** What a client sends to register or update a product. */
export interface RegistryPutRequest {
  product: unknown;
  ports: unknown;
  status?: unknown;
  error?: unknown;
}

const ENTITY_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const isObject = (value: unknown): value is Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function structuralProblems(
  name: string,
  product: unknown,
  ports: unknown,
): string[] {
  const problems: string[] = [];
  if (!isObject(product)) {
    return ['product must be a DataProduct entity object'];
  }
  if (
    product.apiVersion !== DATA_PRODUCTS_API_VERSION ||
    product.kind !== DATA_PRODUCT_KIND
  ) {
    problems.push(
      `product must have apiVersion ${DATA_PRODUCTS_API_VERSION} and kind ${DATA_PRODUCT_KIND}, got ${product.apiVersion} ${product.kind}`,
    );
  }
  const productName = product.metadata?.name;
  if (productName !== name) {
    problems.push(
      `product metadata.name ${JSON.stringify(
        productName,
      )} must equal the registry name ${JSON.stringify(name)}`,
    );
  }
  const namespace = product.metadata?.namespace ?? 'default';
  if (namespace !== 'default') {
    problems.push(
      `self-service products live in namespace "default", got ${JSON.stringify(
        namespace,
      )}`,
    );
  }
  if (!isObject(product.spec)) {
    problems.push('product spec is missing');
  }
  if (!Array.isArray(ports) || ports.length === 0) {
    problems.push('ports must be a non-empty array of OutputPort entities');
    return problems;
  }
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    if (!isObject(port)) {
      problems.push(`ports[${i}] must be an OutputPort entity object`);
      return;
    }
    if (
      port.apiVersion !== DATA_PRODUCTS_API_VERSION ||
      port.kind !== OUTPUT_PORT_KIND
    ) {
      problems.push(
        `ports[${i}] must have apiVersion ${DATA_PRODUCTS_API_VERSION} and kind ${OUTPUT_PORT_KIND}`,
      );
    }
    const portName = port.metadata?.name;
    if (typeof portName !== 'string' || !ENTITY_NAME.test(portName)) {
      problems.push(
        `ports[${i}] metadata.name ${JSON.stringify(
          portName,
        )} is not a valid entity name`,
      );
    } else if (seen.has(portName)) {
      problems.push(`ports[${i}] metadata.name ${portName} is used twice`);
    } else {
      seen.add(portName);
    }
    if ((port.metadata?.namespace ?? 'default') !== 'default') {
      problems.push(`ports[${i}] must live in namespace "default"`);
    }
    const parent = port.spec?.dataProduct;
    let parentName: string | undefined;
    try {
      parentName =
        typeof parent === 'string'
          ? parseEntityRef(parent, {
              defaultKind: DATA_PRODUCT_KIND,
              defaultNamespace: 'default',
            }).name
          : undefined;
    } catch {
      parentName = undefined;
    }
    if (parentName !== name) {
      problems.push(
        `ports[${i}] spec.dataProduct ${JSON.stringify(
          parent,
        )} must name the product ${JSON.stringify(name)}`,
      );
    }
  });
  return problems;
}

/** The refs of the OutputPort entities a product reads (registered products are valid). */
function inputPortRefs(product: DataProductEntityV1alpha1): string[] {
  return getDataProductInputRefs(product)
    .filter(ref => ref.kind === OUTPUT_PORT_KIND)
    .map(ref => stringifyEntityRef(ref));
}

/**
 * The self-service registry: validates, stores and removes data products that
 * templates create. The catalog module's entity provider publishes what it
 * holds.
 */
export class RegistryService {
  constructor(
    private readonly options: {
      store: RegistryStore;
      /** Decommissions a product in the warehouse before it leaves the registry. */
      decommission?: DecommissionProduct;
    },
  ) {}

  /** All registered products. */
  async list(): Promise<RegisteredProduct[]> {
    return this.options.store.list();
  }

  /** One product; throws NotFoundError when it is not registered. */
  async get(name: string): Promise<RegisteredProduct> {
    const item = await this.options.store.get(name);
    if (!item) {
      throw new NotFoundError(
        `No data product named ${JSON.stringify(name)} is registered`,
      );
    }
    return item;
  }

  /**
   * Registers a product or replaces its registered version. Throws InputError
   * naming every problem when the body is not a valid product with its ports.
   */
  async put(
    name: string,
    request: RegistryPutRequest,
    registeredBy?: string,
  ): Promise<{ created: boolean; item: RegisteredProduct }> {
    const entry = this.check(name, request);
    return this.options.store.upsert({ ...entry, registeredBy });
  }

  /**
   * Checks a registration without storing it; throws InputError naming every
   * problem.
   */
  validate(name: string, request: RegistryPutRequest): void {
    this.check(name, request);
  }

  private check(name: string, request: RegistryPutRequest) {
    if (!ENTITY_NAME.test(name) || name.length > 63) {
      throw new InputError(
        `Invalid product name ${JSON.stringify(
          name,
        )}: use lower case letters, digits and single dashes, at most 63 characters`,
      );
    }
    const problems = structuralProblems(name, request.product, request.ports);
    const product = request.product as DataProductEntityV1alpha1;
    const ports = request.ports as OutputPortEntityV1alpha1[];
    if (problems.length === 0) {
      problems.push(
        ...validateDataProductEntity(product).map(p => `product: ${p.message}`),
        ...ports.flatMap((port, i) =>
          validateOutputPortEntity(port).map(p => `ports[${i}]: ${p.message}`),
        ),
      );
    }
    const status = (request.status ?? 'provisioned') as RegistryStatus;
    if (status !== 'provisioned' && status !== 'failed') {
      problems.push(
        `status must be "provisioned" or "failed", got ${JSON.stringify(
          request.status,
        )}`,
      );
    }
    if (request.error !== undefined && typeof request.error !== 'string') {
      problems.push('error must be a string');
    }
    if (problems.length > 0) {
      throw new InputError(
        `Invalid data product ${JSON.stringify(name)}: ${problems.join('; ')}`,
      );
    }
    return {
      product,
      ports,
      status,
      error: request.error as string | undefined,
    };
  }

  /**
   * Decommissions a product in the warehouse and removes it from the
   * registry (and so from the catalog). Refused with ConflictError while
   * another registered product reads one of its ports.
   */
  async remove(name: string): Promise<void> {
    const item = await this.get(name);
    const portRefs = new Set(
      item.ports.map(port =>
        stringifyEntityRef({
          kind: OUTPUT_PORT_KIND,
          namespace: 'default',
          name: port.metadata.name,
        }),
      ),
    );
    const consumers = (await this.options.store.list())
      .filter(other => other.product.metadata.name !== name)
      .filter(other => inputPortRefs(other.product).some(r => portRefs.has(r)))
      .map(other => other.product.metadata.name);
    if (consumers.length > 0) {
      throw new ConflictError(
        `Data product ${name} still has consumers (${consumers.join(
          ', ',
        )}); remove them first`,
      );
    }
    await this.options.decommission?.(item.product, item.ports);
    await this.options.store.delete(name);
  }
}
