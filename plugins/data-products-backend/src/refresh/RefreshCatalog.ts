import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  type Entity,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  getDataProductInputPortRefs,
  getEntityNamespace,
  getOutputPortProductRef,
  isDataProductEntity,
  isOutputPortEntity,
  OUTPUT_PORT_KIND,
  type OutputPortRefreshPolicy,
  parseOwnerRef,
} from '@dataproducts/plugin-data-products-common';

/**
 * An entity ref as the catalog compares it: lower case. `toLowerCase` maps
 * as the en-US locale does (no locale of its own: only Turkish, Azeri and
 * Lithuanian differ) and is several times faster than
 * `toLocaleLowerCase('en-US')`, which matters for the tens of thousands of
 * refs a large catalog's read normalizes.
 */
function normalize(ref: string): string {
  return ref.toLowerCase();
}

// Only what a refresh target needs: a port's columns and model, the bulk of
// its entity, are read by the warehouse, not from here.
const TARGET_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.owner',
  'spec.inputs',
  'spec.dataProduct',
  'spec.name',
  'spec.type',
  'spec.refresh',
];

// A chain of views reading views is followed this many products deep.
const MAX_INPUT_ROUNDS = 16;

/** An output port as refreshes and freshness need it. */
export interface RefreshTarget {
  /** The OutputPort's entity ref. */
  port: string;
  /** The DataProduct's entity ref. */
  product: string;
  /** The data product's entity name as written: its name in the warehouse. */
  productName: string;
  /** The port name in the warehouse (`spec.name`). */
  portName: string;
  type: 'postgres-table' | 'postgres-view';
  /** `spec.refresh` (table ports). */
  policy?: OutputPortRefreshPolicy;
  /** The group (or user) told about stale and failing refreshes: the port's owner, else its product's. */
  owner?: string;
  /** Views: the OutputPorts the product declares as inputs. */
  inputs: string[];
}

/**
 * Reads which ports exist, with their refresh policies, owners and inputs,
 * from the catalog with the plugin's own credentials: the catalog is the
 * source of truth for what should be refreshed and how often, the warehouse
 * for what was built and when.
 */
export class RefreshCatalog {
  #own:
    | { at: number; targets: Promise<Map<string, RefreshTarget>> }
    | undefined;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      /**
       * How long a read with the plugin's own credentials serves the next
       * ones: the reconcile and the freshness check each read every port
       * once a period, and share one read when they run within this of each
       * other (half the shorter period, so one read a period serves both).
       */
      sharedForMs?: number;
    },
  ) {}

  /**
   * Every output port of a data product in the catalog, by port ref: those
   * the caller may see, or all of them with the plugin's own credentials
   * (a read at most `sharedForMs` old).
   */
  async targets(
    caller?: BackstageCredentials,
  ): Promise<Map<string, RefreshTarget>> {
    if (caller) return this.#read(caller);
    const now = Date.now();
    if (!this.#own || now - this.#own.at > (this.options.sharedForMs ?? 0)) {
      const targets = this.options.auth
        .getOwnServiceCredentials()
        .then(credentials => this.#read(credentials));
      this.#own = { at: now, targets };
      // A failed read is not shared: the next caller reads again.
      targets.catch(() => {
        if (this.#own?.targets === targets) this.#own = undefined;
      });
    }
    return this.#own.targets;
  }

  /**
   * The given products and ports as the caller may see them, as refresh
   * targets: every port of each product, each port, and the ports their
   * views read (and what those read, to the end of the chain), so that each
   * one's freshness can be computed. A few small catalog reads: the cost of
   * a page's freshness does not grow with the catalog.
   */
  async targetsFor(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, RefreshTarget>> {
    const { catalog } = this.options;
    // By normalized ref; undefined: read, and not in the caller's catalog.
    const entities = new Map<string, Entity | undefined>();
    const read = async (wanted: string[]) => {
      const missing = [...new Set(wanted)].filter(ref => !entities.has(ref));
      if (missing.length === 0) return;
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: missing, fields: TARGET_FIELDS },
        { credentials },
      );
      missing.forEach((ref, i) => entities.set(ref, items[i] ?? undefined));
    };
    const productOf = (port: Entity) =>
      isOutputPortEntity(port)
        ? normalize(stringifyEntityRef(getOutputPortProductRef(port)))
        : undefined;
    await read(refs);
    const products = refs.filter(ref => isDataProductEntity(entities.get(ref)));
    if (products.length > 0) {
      const { items } = await catalog.getEntities(
        {
          filter: {
            kind: OUTPUT_PORT_KIND,
            [`relations.${RELATION_PART_OF}`]: products,
          },
          fields: TARGET_FIELDS,
        },
        { credentials },
      );
      for (const port of items) {
        entities.set(normalize(stringifyEntityRef(port)), port);
      }
    }
    // The ports' products, then the ports their views read, until none is new.
    let ports = [...entities.values()].filter(isOutputPortEntity);
    for (let round = 0; ports.length > 0 && round < MAX_INPUT_ROUNDS; round++) {
      await read(ports.map(productOf).filter(ref => ref !== undefined));
      const inputs = ports
        .filter(port => port.spec.type === 'postgres-view')
        .flatMap(port => {
          const product = entities.get(productOf(port)!);
          return isDataProductEntity(product)
            ? getDataProductInputPortRefs(product).map(({ ref }) =>
                normalize(stringifyEntityRef(ref)),
              )
            : [];
        })
        .filter(ref => !entities.has(ref));
      await read(inputs);
      ports = inputs.map(ref => entities.get(ref)).filter(isOutputPortEntity);
    }
    return this.#toTargets(
      [...entities.values()].filter(entity => entity !== undefined),
    );
  }

  async #read(
    credentials: BackstageCredentials,
  ): Promise<Map<string, RefreshTarget>> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: { kind: [DATA_PRODUCT_KIND, OUTPUT_PORT_KIND] },
        fields: TARGET_FIELDS,
      },
      { credentials },
    );
    return this.#toTargets(items);
  }

  #toTargets(items: Entity[]): Map<string, RefreshTarget> {
    const products = new Map(
      items
        .filter(isDataProductEntity)
        .map(product => [normalize(stringifyEntityRef(product)), product]),
    );
    const targets = new Map<string, RefreshTarget>();
    for (const port of items.filter(isOutputPortEntity)) {
      const productRef = normalize(
        stringifyEntityRef(getOutputPortProductRef(port)),
      );
      const product = products.get(productRef);
      if (!product) {
        // A port whose product left the catalog (or is not there yet) has
        // nothing in the warehouse the portal would refresh for it.
        continue;
      }
      const owner = port.spec.owner ?? product.spec.owner;
      const ref = normalize(stringifyEntityRef(port));
      targets.set(ref, {
        port: ref,
        product: productRef,
        productName: product.metadata.name,
        portName: port.spec.name,
        type: port.spec.type,
        ...(port.spec.refresh ? { policy: port.spec.refresh } : {}),
        ...(owner
          ? {
              owner: normalize(
                stringifyEntityRef(
                  parseOwnerRef(owner, {
                    defaultNamespace: getEntityNamespace(product),
                  }),
                ),
              ),
            }
          : {}),
        inputs: getDataProductInputPortRefs(product).map(({ ref: input }) =>
          normalize(stringifyEntityRef(input)),
        ),
      });
    }
    return targets;
  }
}
