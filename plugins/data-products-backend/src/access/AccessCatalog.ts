import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  type Entity,
  parseEntityRef,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  getEntityNamespace,
  getOutputPortProductRef,
  isOutputPortEntity,
  OUTPUT_PORT_KIND,
  type OutputPortEntityV1alpha1,
  parseOwnerRef,
} from '@dataproducts/plugin-data-products-common';

/** An entity ref as the catalog compares it: lower case. */
export function normalizeRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

function refOf(entity: Entity): string {
  return normalizeRef(stringifyEntityRef(entity));
}

/** An output port as access requests need it. */
export interface AccessPort {
  entity: OutputPortEntityV1alpha1;
  /** The port's entity ref. */
  ref: string;
  /** The entity ref of the port's data product. */
  product: string;
  /** The data product's entity name as written: its name in the warehouse. */
  productName: string;
  /** The port name in the warehouse (`spec.name`). */
  portName: string;
  /** Who decides on requests: the port's owner, else its product's. */
  owner: string;
}

/** A consumer: a data product or a group, as the catalog knows it. */
export interface AccessConsumerEntity {
  ref: string;
  kind: 'dataproduct' | 'group';
  name: string;
  namespace: string;
}

/** What access requests read from the catalog, with the caller's credentials. */
export class AccessCatalog {
  constructor(private readonly catalog: CatalogService) {}

  /** An output port by entity ref; `NotFoundError` or `InputError` naming the ref otherwise. */
  async port(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<AccessPort> {
    let parsed;
    try {
      parsed = parseEntityRef(ref, { defaultKind: OUTPUT_PORT_KIND });
    } catch (error) {
      throw new InputError(
        `Invalid port ${JSON.stringify(ref)}: ${(error as Error).message}`,
      );
    }
    const entity = await this.catalog.getEntityByRef(parsed, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `There is no output port ${stringifyEntityRef(parsed)} in the catalog`,
      );
    }
    if (!isOutputPortEntity(entity)) {
      throw new InputError(
        `${refOf(entity)} is a ${
          entity.kind
        }, not an OutputPort: give the ref of an output port`,
      );
    }
    const productRef = getOutputPortProductRef(entity);
    const product = await this.catalog.getEntityByRef(productRef, {
      credentials,
    });
    const context = { defaultNamespace: getEntityNamespace(entity) };
    const owner = entity.spec.owner ?? product?.spec?.owner;
    if (typeof owner !== 'string') {
      throw new NotFoundError(
        `Output port ${refOf(entity)} belongs to ${stringifyEntityRef(
          productRef,
        )}, which is not in the catalog`,
      );
    }
    return {
      entity,
      ref: refOf(entity),
      product: normalizeRef(stringifyEntityRef(productRef)),
      productName: product?.metadata.name ?? productRef.name,
      portName: entity.spec.name,
      owner: normalizeRef(
        stringifyEntityRef(
          parseOwnerRef(owner, {
            defaultNamespace: product
              ? getEntityNamespace(product)
              : context.defaultNamespace,
          }),
        ),
      ),
    };
  }

  /**
   * A consumer by ref, `dataproduct:<namespace>/<name>` or
   * `group:<namespace>/<name>`, that must exist in the catalog.
   */
  async consumer(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<AccessConsumerEntity> {
    let parsed;
    try {
      parsed = parseEntityRef(ref);
    } catch (error) {
      throw new InputError(
        `Invalid consumer ${JSON.stringify(ref)}: ${
          (error as Error).message
        }; give dataproduct:<namespace>/<name> or group:<namespace>/<name>`,
      );
    }
    const kind = parsed.kind.toLocaleLowerCase('en-US');
    if (kind !== 'dataproduct' && kind !== 'group') {
      throw new InputError(
        `Invalid consumer ${JSON.stringify(
          ref,
        )}: a consumer is a data product or a group (dataproduct:<namespace>/<name> or group:<namespace>/<name>)`,
      );
    }
    const entity = await this.catalog.getEntityByRef(parsed, { credentials });
    if (!entity) {
      throw new InputError(
        `Consumer ${normalizeRef(
          stringifyEntityRef(parsed),
        )} is not in the catalog: register it first`,
      );
    }
    return {
      ref: refOf(entity),
      kind,
      name: entity.metadata.name,
      namespace: getEntityNamespace(entity),
    };
  }

  /** The groups a user is a direct member of (their `memberOf` relations). */
  async groupsOf(
    user: string,
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const entity = await this.catalog.getEntityByRef(user, { credentials });
    return (entity?.relations ?? [])
      .filter(relation => relation.type === RELATION_MEMBER_OF)
      .map(relation => normalizeRef(relation.targetRef));
  }

  /** The data products owned by any of the given users or groups. */
  async productsOwnedBy(
    owners: string[],
    credentials: BackstageCredentials,
  ): Promise<AccessConsumerEntity[]> {
    if (owners.length === 0) {
      return [];
    }
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: DATA_PRODUCT_KIND,
          [`relations.${RELATION_OWNED_BY}`]: owners,
        },
      },
      { credentials },
    );
    return items.map(entity => ({
      ref: refOf(entity),
      kind: 'dataproduct' as const,
      name: entity.metadata.name,
      namespace: getEntityNamespace(entity),
    }));
  }

  /**
   * The entity refs of the output ports with the given product and port
   * names (as the warehouse names them), keyed `<product>/<port>`.
   */
  async portRefs(
    ports: Array<{ product: string; port: string }>,
    credentials: BackstageCredentials,
  ): Promise<Map<string, string>> {
    const refs = new Map<string, string>();
    if (ports.length === 0) {
      return refs;
    }
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          kind: OUTPUT_PORT_KIND,
          'spec.name': [...new Set(ports.map(p => p.port))],
        },
      },
      { credentials },
    );
    for (const entity of items.filter(isOutputPortEntity)) {
      const key = `${getOutputPortProductRef(entity).name}/${entity.spec.name}`;
      if (ports.some(p => `${p.product}/${p.port}` === key)) {
        refs.set(key, refOf(entity));
      }
    }
    return refs;
  }

  /** The entity refs of the data products with the given names, keyed by name. */
  async productRefs(
    names: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, string>> {
    const refs = new Map<string, string>();
    if (names.length === 0) {
      return refs;
    }
    const { items } = await this.catalog.getEntities(
      { filter: { kind: DATA_PRODUCT_KIND, 'metadata.name': names } },
      { credentials },
    );
    for (const entity of items) {
      refs.set(entity.metadata.name, refOf(entity));
    }
    return refs;
  }
}
