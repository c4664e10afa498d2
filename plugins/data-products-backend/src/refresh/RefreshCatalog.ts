import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
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

/** An entity ref as the catalog compares it: lower case. */
function normalize(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

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
  constructor(
    private readonly options: { catalog: CatalogService; auth: AuthService },
  ) {}

  /**
   * Every output port of a data product in the catalog, by port ref: those
   * the caller may see, or all of them with the plugin's own credentials.
   */
  async targets(
    caller?: BackstageCredentials,
  ): Promise<Map<string, RefreshTarget>> {
    const { catalog, auth } = this.options;
    const credentials = caller ?? (await auth.getOwnServiceCredentials());
    const { items } = await catalog.getEntities(
      {
        filter: { kind: [DATA_PRODUCT_KIND, OUTPUT_PORT_KIND] },
        // Only what a refresh target needs: a port's columns and model, the
        // bulk of its entity, are read by the warehouse, not from here.
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.owner',
          'spec.inputs',
          'spec.dataProduct',
          'spec.name',
          'spec.type',
          'spec.refresh',
        ],
      },
      { credentials },
    );
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
