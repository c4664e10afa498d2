import {
  DEFAULT_NAMESPACE,
  getCompoundEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DATA_PRODUCT_KIND,
  getDataProductInputPortRefs,
  isSameEntityRef,
  parseDataProductRef,
  validateDataProductEntity,
  validateEntityName,
  validateOutputPortEntity,
  type DataProductEntityV1alpha1,
  type DataProductRegistration,
  type DataProductRegistrationResult,
  type DataProductRegistryStatus,
  type OutputPortEntityV1alpha1,
  type RegisteredDataProduct,
} from '@dataproducts/plugin-data-products-common';
import type { RegistryStore } from './RegistryStore';

/** Removes a product's schema, roles and port objects from the warehouse. */
export type DecommissionProduct = (
  product: DataProductEntityV1alpha1,
  ports: OutputPortEntityV1alpha1[],
) => Promise<void>;

const STATUSES: DataProductRegistryStatus[] = ['provisioned', 'failed'];

const isObject = (value: unknown): value is Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function namespaceProblems(what: string, entity: Record<string, any>) {
  const namespace = entity.metadata?.namespace ?? DEFAULT_NAMESPACE;
  return namespace === DEFAULT_NAMESPACE
    ? []
    : [
        `${what} must live in namespace "${DEFAULT_NAMESPACE}" (self-service products do), not ${JSON.stringify(
          namespace,
        )}`,
      ];
}

function productProblems(name: string, product: unknown): string[] {
  if (!isObject(product)) {
    return ['product must be a DataProduct entity object'];
  }
  const problems = namespaceProblems('product', product);
  if (product.metadata?.name !== name) {
    problems.push(
      `product metadata.name ${JSON.stringify(
        product.metadata?.name,
      )} must equal the registry name ${JSON.stringify(name)}`,
    );
  }
  return [
    ...problems,
    ...validateDataProductEntity(product as Entity).map(
      p => `product: ${p.message}`,
    ),
  ];
}

function portProblems(name: string, ports: unknown): string[] {
  if (!Array.isArray(ports) || ports.length === 0) {
    return ['ports must be a non-empty array of OutputPort entities'];
  }
  const productRef = {
    kind: DATA_PRODUCT_KIND,
    namespace: DEFAULT_NAMESPACE,
    name,
  };
  const seen = new Set<string>();
  return ports.flatMap((port, i) => {
    if (!isObject(port)) {
      return [`ports[${i}] must be an OutputPort entity object`];
    }
    const problems = namespaceProblems(`ports[${i}]`, port);
    const portName = port.metadata?.name;
    if (typeof portName === 'string') {
      const key = portName.toLocaleLowerCase('en-US');
      if (seen.has(key)) {
        problems.push(`ports[${i}] metadata.name ${portName} is used twice`);
      }
      seen.add(key);
    }
    const parent = port.spec?.dataProduct;
    if (typeof parent === 'string') {
      let parentRef;
      try {
        parentRef = parseDataProductRef(parent);
      } catch {
        parentRef = undefined;
      }
      if (!parentRef || !isSameEntityRef(parentRef, productRef)) {
        problems.push(
          `ports[${i}] spec.dataProduct ${JSON.stringify(
            parent,
          )} must name the product ${JSON.stringify(name)}`,
        );
      }
    }
    return [
      ...problems,
      ...validateOutputPortEntity(port as Entity).map(
        p => `ports[${i}]: ${p.message}`,
      ),
    ];
  });
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
  async list(): Promise<RegisteredDataProduct[]> {
    return this.options.store.list();
  }

  /** One product; throws NotFoundError when it is not registered. */
  async get(name: string): Promise<RegisteredDataProduct> {
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
    body: unknown,
    registeredBy?: string,
  ): Promise<DataProductRegistrationResult> {
    const registration = this.check(name, body);
    return this.options.store.upsert({
      ...registration,
      status: registration.status ?? 'provisioned',
      registeredBy,
    });
  }

  /**
   * Checks a registration without storing it; throws InputError naming every
   * problem.
   */
  validate(name: string, body: unknown): void {
    this.check(name, body);
  }

  private check(name: string, body: unknown): DataProductRegistration {
    const nameRule = validateEntityName(name);
    if (nameRule) {
      throw new InputError(
        `Invalid product name ${JSON.stringify(name)}: ${nameRule}`,
      );
    }
    if (!isObject(body)) {
      throw new InputError(
        `Invalid data product ${JSON.stringify(
          name,
        )}: send a JSON object { product, ports, status?, error? }`,
      );
    }
    const { product, ports, status, error } = body;
    const problems = [
      ...productProblems(name, product),
      ...portProblems(name, ports),
    ];
    if (status !== undefined && !STATUSES.includes(status)) {
      problems.push(
        `status must be ${STATUSES.map(s => JSON.stringify(s)).join(
          ' or ',
        )}, got ${JSON.stringify(status)}`,
      );
    }
    if (error !== undefined && typeof error !== 'string') {
      problems.push('error must be a string');
    }
    if (problems.length > 0) {
      throw new InputError(
        `Invalid data product ${JSON.stringify(name)}: ${problems.join('; ')}`,
      );
    }
    return { product, ports, status, error };
  }

  /**
   * Decommissions a product in the warehouse and removes it from the
   * registry (and so from the catalog). Refused with ConflictError while
   * another registered product reads one of its ports.
   */
  async remove(name: string): Promise<void> {
    const item = await this.get(name);
    const portRefs = item.ports.map(port => getCompoundEntityRef(port));
    const consumers = (await this.options.store.list())
      .filter(other => other.product.metadata.name !== name)
      .filter(other =>
        getDataProductInputPortRefs(other.product).some(({ ref }) =>
          portRefs.some(portRef => isSameEntityRef(ref, portRef)),
        ),
      )
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
