import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  dataProductEntityRef,
  dataProductRegistryLocation,
  getEntityNamespace,
  getOutputPortProductRef,
  isOutputPortEntity,
  outputPortEntityRef,
  parseDomainRef,
  parseOwnerRef,
  type DataProductRegistration,
  type RegisteredDataProduct,
} from '@dataproducts/plugin-data-products-common';

/**
 * The registry's other products that a registration could clash with, found
 * by indexed queries (never by reading every registered product).
 */
export interface RegisteredNeighbours {
  /** Products other than `except` with this schema. */
  findBySchema(
    schema: string,
    except: string,
  ): Promise<RegisteredDataProduct[]>;
  /** Products other than `except` with a port of one of these entity names. */
  findByPortNames(
    portNames: string[],
    except: string,
  ): Promise<RegisteredDataProduct[]>;
}

/** What a registration is checked against: the registry's other products and the catalog. */
export interface RegistrationContext {
  /** The registry, for the products other than the one being registered. */
  registry: RegisteredNeighbours;
  catalog: CatalogService;
  /** Credentials the registry reads the catalog with (its own). */
  credentials: BackstageCredentials;
}

/** The owner and the domain must be entities the catalog has. */
async function assertReferencesExist(
  { product }: DataProductRegistration,
  { catalog, credentials }: RegistrationContext,
) {
  const context = { defaultNamespace: getEntityNamespace(product) };
  const refs = [
    [
      'spec.owner',
      stringifyEntityRef(parseOwnerRef(product.spec.owner, context)),
    ],
    ...(product.spec.domain
      ? [
          [
            'spec.domain',
            stringifyEntityRef(parseDomainRef(product.spec.domain, context)),
          ],
        ]
      : []),
  ];
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: refs.map(([, ref]) => ref), fields: ['kind', 'metadata'] },
    { credentials },
  );
  const missing = refs.filter((_, i) => !items[i]);
  if (missing.length > 0) {
    throw new InputError(
      `Invalid data product ${JSON.stringify(product.metadata.name)}: ${missing
        .map(([field, ref]) => `${field} ${ref} is not in the catalog`)
        .join('; ')}; name an existing Group (or User) and Domain`,
    );
  }
}

/** The product's schema must not be another product's, in the registry or the catalog. */
async function assertSchemaFree(
  { product }: DataProductRegistration,
  { registry, catalog, credentials }: RegistrationContext,
) {
  const name = product.metadata.name;
  const schema = product.spec.schema;
  const registered = (await registry.findBySchema(schema, name)).map(other =>
    dataProductEntityRef(other.product.metadata.name),
  );
  const { items } = await catalog.getEntities(
    {
      filter: { kind: DATA_PRODUCT_KIND, 'spec.schema': schema },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.schema'],
    },
    { credentials },
  );
  const catalogued = items
    .filter(entity => (entity.spec as { schema?: unknown }).schema === schema)
    .map(entity => stringifyEntityRef(entity))
    .filter(ref => ref !== dataProductEntityRef(name));
  const holders = [...new Set([...registered, ...catalogued])];
  if (holders.length > 0) {
    throw new ConflictError(
      `Schema ${schema} is held by data product ${holders.join(
        ', ',
      )}; give ${name} a schema of its own`,
    );
  }
}

/** Who holds an entity the catalog has: its product, or where it comes from. */
function holderOf(entity: Entity): string {
  if (isOutputPortEntity(entity)) {
    return `data product ${stringifyEntityRef(
      getOutputPortProductRef(entity),
    )}`;
  }
  return entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? 'another source';
}

/**
 * The product's entity and its ports' entities must be free: neither another
 * registered product's, nor in the catalog from anywhere but this product's
 * registration.
 */
async function assertEntityNamesFree(
  { product, ports }: DataProductRegistration,
  { registry, catalog, credentials }: RegistrationContext,
) {
  const name = product.metadata.name;
  const portRefs = ports.map(port => outputPortEntityRef(port.metadata.name));
  const clashes: string[] = [];
  const others = await registry.findByPortNames(
    ports.map(port => port.metadata.name),
    name,
  );
  for (const other of others) {
    for (const port of other.ports) {
      if (portRefs.includes(outputPortEntityRef(port.metadata.name))) {
        clashes.push(
          `${outputPortEntityRef(
            port.metadata.name,
          )} belongs to data product ${dataProductEntityRef(
            other.product.metadata.name,
          )}`,
        );
      }
    }
  }
  const refs = [dataProductEntityRef(name), ...portRefs];
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: refs },
    { credentials },
  );
  items.forEach((entity, i) => {
    if (
      entity &&
      entity.metadata.annotations?.[ANNOTATION_LOCATION] !==
        dataProductRegistryLocation(name)
    ) {
      clashes.push(`${refs[i]} belongs to ${holderOf(entity)}`);
    }
  });
  if (clashes.length > 0) {
    throw new ConflictError(
      `Cannot register data product ${name}: ${[...new Set(clashes)].join(
        '; ',
      )}; choose other product or port names`,
    );
  }
}

/**
 * Checks a structurally valid registration against what exists: its owner
 * and domain must be in the catalog (`InputError`), its schema and entity
 * names must not be another product's (`ConflictError` naming that product).
 */
export async function assertRegistrationFits(
  registration: DataProductRegistration,
  context: RegistrationContext,
): Promise<void> {
  await assertReferencesExist(registration, context);
  await assertSchemaFree(registration, context);
  await assertEntityNamesFree(registration, context);
}
