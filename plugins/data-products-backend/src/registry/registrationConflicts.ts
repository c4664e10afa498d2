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
  /** Products (other than `except`) with a port of one of these entity names. */
  findByPortNames(
    portNames: string[],
    except?: string,
  ): Promise<RegisteredDataProduct[]>;
  /** Products with one of these schemas. */
  findBySchemas(schemas: string[]): Promise<RegisteredDataProduct[]>;
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

/** The catalog's answer for many refs, asked in pages the catalog takes well. */
async function entitiesByRefs(
  refs: string[],
  { catalog, credentials }: RegistrationContext,
  fields?: string[],
): Promise<Map<string, Entity>> {
  const found = new Map<string, Entity>();
  for (let i = 0; i < refs.length; i += 500) {
    const page = refs.slice(i, i + 500);
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: page, ...(fields ? { fields } : {}) },
      { credentials },
    );
    items.forEach((entity, j) => {
      if (entity) found.set(page[j], entity);
    });
  }
  return found;
}

/**
 * `assertRegistrationFits` for many registrations (distinct product names)
 * at once, with a handful of queries whatever their number: owners and
 * domains must be in the catalog (`InputError` naming every one missing),
 * and schemas and entity names must be neither another product's nor used
 * twice in the batch (`ConflictError` naming every clash).
 */
export async function assertRegistrationsFit(
  registrations: DataProductRegistration[],
  context: RegistrationContext,
): Promise<void> {
  const { registry, catalog, credentials } = context;

  // Owners and domains.
  const references = registrations.flatMap(({ product }) => {
    const ctx = { defaultNamespace: getEntityNamespace(product) };
    return [
      {
        product: product.metadata.name,
        field: 'spec.owner',
        ref: stringifyEntityRef(parseOwnerRef(product.spec.owner, ctx)),
      },
      ...(product.spec.domain
        ? [
            {
              product: product.metadata.name,
              field: 'spec.domain',
              ref: stringifyEntityRef(parseDomainRef(product.spec.domain, ctx)),
            },
          ]
        : []),
    ];
  });
  const known = await entitiesByRefs(
    [...new Set(references.map(r => r.ref))],
    context,
    ['kind', 'metadata.name'],
  );
  const missing = references.filter(r => !known.has(r.ref));
  if (missing.length > 0) {
    throw new InputError(
      `Invalid data products: ${missing
        .map(
          r =>
            `${JSON.stringify(r.product)} ${r.field} ${
              r.ref
            } is not in the catalog`,
        )
        .join('; ')}; name an existing Group (or User) and Domain`,
    );
  }

  const clashes: string[] = [];
  const names = new Set(registrations.map(r => r.product.metadata.name));

  // Schemas: another product's in the registry or the catalog, or twice here.
  const schemaUsers = new Map<string, string[]>();
  for (const { product } of registrations) {
    const users = schemaUsers.get(product.spec.schema) ?? [];
    users.push(product.metadata.name);
    schemaUsers.set(product.spec.schema, users);
  }
  for (const [schema, users] of schemaUsers) {
    if (users.length > 1) {
      clashes.push(
        `schema ${schema} is asked for by ${users.join(
          ' and ',
        )}; give each product a schema of its own`,
      );
    }
  }
  const schemas = [...schemaUsers.keys()];
  const holders = new Map<string, Set<string>>();
  const hold = (schema: string, holder: string) =>
    holders.set(schema, (holders.get(schema) ?? new Set()).add(holder));
  for (const other of await registry.findBySchemas(schemas)) {
    hold(other.product.spec.schema, other.product.metadata.name);
  }
  for (let i = 0; i < schemas.length; i += 500) {
    const { items } = await catalog.getEntities(
      {
        filter: {
          kind: DATA_PRODUCT_KIND,
          'spec.schema': schemas.slice(i, i + 500),
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.schema'],
      },
      { credentials },
    );
    for (const entity of items) {
      const schema = (entity.spec as { schema?: unknown }).schema;
      if (typeof schema === 'string' && schemaUsers.has(schema)) {
        hold(
          schema,
          getEntityNamespace(entity) === 'default'
            ? entity.metadata.name
            : stringifyEntityRef(entity),
        );
      }
    }
  }
  for (const [schema, users] of schemaUsers) {
    for (const user of users) {
      const others = [...(holders.get(schema) ?? [])].filter(h => h !== user);
      if (others.length > 0) {
        clashes.push(
          `schema ${schema} of ${user} is held by data product ${others
            .map(h => (h.includes(':') ? h : dataProductEntityRef(h)))
            .join(', ')}; give ${user} a schema of its own`,
        );
      }
    }
  }

  // Entity names: a port of another registered product, an entity from
  // elsewhere in the catalog, or the same port entity twice here.
  const owners = new Map<string, string>();
  for (const { product, ports } of registrations) {
    for (const port of ports) {
      const ref = outputPortEntityRef(port.metadata.name);
      const first = owners.get(ref);
      if (first !== undefined && first !== product.metadata.name) {
        clashes.push(
          `${ref} is a port of both ${first} and ${product.metadata.name}`,
        );
      }
      owners.set(ref, product.metadata.name);
    }
  }
  const others = await registry.findByPortNames(
    registrations.flatMap(r => r.ports.map(port => port.metadata.name)),
  );
  for (const other of others) {
    const otherName = other.product.metadata.name;
    for (const port of other.ports) {
      const ref = outputPortEntityRef(port.metadata.name);
      const asker = owners.get(ref);
      if (asker !== undefined && asker !== otherName) {
        clashes.push(
          `${ref} of ${asker} belongs to data product ${dataProductEntityRef(
            otherName,
          )}`,
        );
      }
    }
  }
  const entityRefs = [
    ...[...names].map(name => dataProductEntityRef(name)),
    ...owners.keys(),
  ];
  const ownerOfRef = new Map<string, string>([
    ...[...names].map(name => [dataProductEntityRef(name), name] as const),
    ...owners,
  ]);
  for (const [ref, entity] of await entitiesByRefs(entityRefs, context)) {
    const name = ownerOfRef.get(ref)!;
    if (
      entity.metadata.annotations?.[ANNOTATION_LOCATION] !==
      dataProductRegistryLocation(name)
    ) {
      clashes.push(`${ref} of ${name} belongs to ${holderOf(entity)}`);
    }
  }
  if (clashes.length > 0) {
    throw new ConflictError(
      `Cannot register these data products: ${[...new Set(clashes)].join(
        '; ',
      )}; choose other product, port or schema names`,
    );
  }
}
