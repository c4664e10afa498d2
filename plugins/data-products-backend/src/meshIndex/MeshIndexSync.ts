import type { AuthService } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';
import {
  Entity,
  RELATION_DEPENDENCY_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION,
  isEntityRefOfKind,
  OUTPUT_PORT_KIND,
  SOURCE_RESOURCE_KIND,
  type DataProductEntityV1alpha1,
  type OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import {
  entityDeclaration,
  MeshDeclaration,
  meshRef,
  portDeclaration,
  productDeclarations,
} from './meshEntries';
import { MESH_RECONCILED_AT, MeshIndex } from './MeshIndex';

// The registry's table (see src/registry/RegistryStore.ts), read page by page
// inside the index's locked transactions.
const REGISTRY = 'data_product_registry';

// The index's bookkeeping key of what the sources looked like at the last
// full reconcile (see `#fingerprint`). It covers the catalog nodes the index
// holds, so a run that added some is followed by one more run.
const RECONCILED_FINGERPRINT = 'reconciled_fingerprint';

/** How many registry rows or catalog entities one step of a reconcile reads. */
export const MESH_RECONCILE_PAGE_SIZE = 500;

interface RegistryRow {
  name: string;
  product: DataProductEntityV1alpha1 | string;
  ports: OutputPortEntityV1alpha1[] | string;
  status: string;
}

const parseJson = <T>(value: T | string): T =>
  typeof value === 'string' ? JSON.parse(value) : value;

const ENTITY_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
  'metadata.annotations',
  'spec.type',
  'spec.owner',
  'spec.domain',
  'spec.lifecycle',
  'spec.inputs',
  'spec.dataProduct',
  'spec.name',
  'spec.columns',
  'relations',
];

function registryDeclarations(row: RegistryRow): MeshDeclaration[] {
  return productDeclarations({
    product: parseJson(row.product),
    ports: parseJson(row.ports),
    origin: 'registry',
    registryStatus: row.status,
  });
}

function isFromRegistry(entity: Entity): boolean {
  return (
    entity.metadata.annotations?.[DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION] !==
    undefined
  );
}

function dependents(entity: Entity): string[] {
  return (entity.relations ?? [])
    .filter(relation => relation.type === RELATION_DEPENDENCY_OF)
    .map(relation => meshRef(relation.targetRef));
}

/** What a full reconcile did, for the log. */
export interface MeshReconcileSummary {
  registryProducts: number;
  catalogNodes: number;
  removed: number;
  /** True when nothing changed since the last reconcile, which was then skipped. */
  unchanged?: boolean;
}

/**
 * Keeps the mesh index equal to its sources: the registry (products of
 * origin `registry`) and the catalog (products, ports, sources and their
 * readers of origin `catalog`, read with the plugin's own credentials).
 * `indexRegistryProduct` applies one registry change; `reconcile` compares
 * everything, page by page, and removes what is gone.
 */
export class MeshIndexSync {
  readonly #index: MeshIndex;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #pageSize: number;

  constructor(options: {
    index: MeshIndex;
    catalog: CatalogService;
    auth: AuthService;
    /** Rows or entities per step (default {@link MESH_RECONCILE_PAGE_SIZE}). */
    pageSize?: number;
  }) {
    this.#index = options.index;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#pageSize = options.pageSize ?? MESH_RECONCILE_PAGE_SIZE;
  }

  /**
   * Indexes one registry product as the registry holds it now: replaces
   * its node, its ports and its edges, or removes them when it is no longer
   * registered. The sources it reads are added from the catalog when the
   * index lacks them.
   */
  async indexRegistryProduct(name: string): Promise<void> {
    await this.indexRegistryProducts([name]);
  }

  /**
   * `indexRegistryProduct` for many products in one transaction (with a few
   * queries whatever their number): what a batch registration, or a burst
   * of single ones, costs the index.
   */
  async indexRegistryProducts(names: string[]): Promise<void> {
    if (names.length === 0) return;
    const lowered = names.map(name => name.toLocaleLowerCase('en-US'));
    const declarations = await this.#index.write(async tx => {
      const rows: RegistryRow[] = await tx(REGISTRY)
        .whereIn('name', names)
        .select('name', 'product', 'ports', 'status');
      const wanted = rows.flatMap(registryDeclarations);
      // Their ports that they no longer expose, or all of a removed one.
      const stale = await tx('data_product_mesh_nodes')
        .where({ origin: 'registry' })
        .andWhere(q =>
          q
            .where({ kind: DATA_PRODUCT_KIND })
            .andWhereRaw('lower(name) = ANY(?)', [lowered])
            .orWhereIn(
              'product',
              tx('data_product_mesh_nodes')
                .select('ref')
                .where({ origin: 'registry', kind: DATA_PRODUCT_KIND })
                .andWhereRaw('lower(name) = ANY(?)', [lowered]),
            ),
        )
        .pluck('ref');
      const keep = new Set(wanted.map(d => d.node.ref));
      await this.#index.remove(
        stale.filter((ref: string) => !keep.has(ref)),
        tx,
      );
      await this.#index.replace(wanted, tx);
      return wanted;
    });
    await this.#addMissingSources(declarations);
  }

  // The source Resources a registry product reads, from the catalog, when
  // the index does not hold them yet (a reconcile adds them otherwise).
  async #addMissingSources(declarations: MeshDeclaration[]): Promise<void> {
    const sources = [
      ...new Set(
        declarations.flatMap(d =>
          d.edges
            .filter(edge =>
              isEntityRefOfKind(edge.source, SOURCE_RESOURCE_KIND),
            )
            .map(edge => edge.source),
        ),
      ),
    ];
    if (sources.length === 0) return;
    const known = new Set(
      (await this.#index.nodes(sources)).map(node => node.ref),
    );
    const missing = sources.filter(ref => !known.has(ref));
    if (missing.length === 0) return;
    const entities = await this.#getEntities(missing);
    await this.#index.write(tx =>
      this.#index.replace(
        entities.map(entity => entityDeclaration(entity)),
        tx,
      ),
    );
  }

  /**
   * Compares the whole index with the registry and the catalog, page by
   * page, writes what changed and removes what is gone; then records when
   * it finished. Heals whatever an event missed (a crash between a registry
   * write and its index update, a catalog change).
   */
  async reconcile(): Promise<MeshReconcileSummary> {
    // Cheap first: when neither the registry nor any catalog entity the
    // index reads changed since the last reconcile, there is nothing to do.
    const fingerprint = await this.#fingerprint();
    if (
      fingerprint !== undefined &&
      fingerprint === (await this.#index.getState(RECONCILED_FINGERPRINT))
    ) {
      await this.#index.setState(MESH_RECONCILED_AT, new Date().toISOString());
      return {
        registryProducts: 0,
        catalogNodes: 0,
        removed: 0,
        unchanged: true,
      };
    }
    const registryProducts = await this.#reconcileRegistry();
    const { catalogNodes, removed } = await this.#reconcileCatalog();
    await this.#index.setState(MESH_RECONCILED_AT, new Date().toISOString());
    // Taken before the run: a change during it makes the next run compare.
    if (fingerprint !== undefined) {
      await this.#index.setState(RECONCILED_FINGERPRINT, fingerprint);
    }
    return { registryProducts, catalogNodes, removed };
  }

  /**
   * A hash of what a reconcile reads, from cheap reads: the registry's row
   * count, newest update and newest change, and the etag of every catalog
   * product and port and of every other catalog entity the index holds
   * (sources, their readers). Undefined when an entity has no etag (a
   * catalog that does not give them), so that the reconcile always runs.
   */
  async #fingerprint(): Promise<string | undefined> {
    const hash = createHash('sha256');
    const db = this.#index.database;
    const [registry] = await db(REGISTRY).select(
      db.raw('count(*) AS count'),
      db.raw('max(updated_at) AS updated'),
    );
    const [changes] = await db('data_product_registry_changes').max({
      latest: 'id',
    });
    hash.update(
      JSON.stringify([
        Number(registry?.count ?? 0),
        registry?.updated ? new Date(registry.updated).toISOString() : null,
        Number(changes?.latest ?? 0),
      ]),
    );
    const credentials = await this.#auth.getOwnServiceCredentials();
    const fields = [
      'kind',
      'metadata.namespace',
      'metadata.name',
      'metadata.etag',
    ];
    // A ref the catalog no longer has counts as '-'.
    const etagOf = (entity: Entity | null | undefined) =>
      entity ? entity.metadata.etag : '-';
    let cursor: string | undefined;
    do {
      const page = await this.#catalog.queryEntities(
        cursor
          ? { cursor, limit: this.#pageSize * 4, fields }
          : {
              filter: { kind: [DATA_PRODUCT_KIND, OUTPUT_PORT_KIND] },
              limit: this.#pageSize * 4,
              fields,
              orderFields: { field: 'metadata.name', order: 'asc' },
            },
        { credentials },
      );
      for (const entity of page.items) {
        const etag = etagOf(entity);
        if (etag === undefined) return undefined;
        hash.update(`${stringifyEntityRef(entity)} ${etag}\n`);
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    const others: string[] = await db('data_product_mesh_nodes')
      .where({ origin: 'catalog' })
      .whereNotIn('kind', [DATA_PRODUCT_KIND, OUTPUT_PORT_KIND])
      .orderBy('ref')
      .pluck('ref');
    for (let i = 0; i < others.length; i += this.#pageSize * 4) {
      const refs = others.slice(i, i + this.#pageSize * 4);
      const { items } = await this.#catalog.getEntitiesByRefs(
        { entityRefs: refs, fields },
        { credentials },
      );
      for (const [j, entity] of items.entries()) {
        const etag = etagOf(entity);
        if (etag === undefined) return undefined;
        hash.update(`${refs[j]} ${etag}\n`);
      }
    }
    return hash.digest('hex');
  }

  async #reconcileRegistry(): Promise<number> {
    let count = 0;
    let page = await this.#reconcileRegistryPage('');
    for (;;) {
      count += page.length;
      if (page.length < this.#pageSize) break;
      page = await this.#reconcileRegistryPage(page[page.length - 1].name);
    }
    // Products no longer registered, with their ports. The registry is read
    // under the lock, so a product registered meanwhile (and indexed by its
    // event) is kept.
    await this.#index.write(async tx => {
      const current = new Set<string>();
      const rows: Array<{ name: string; namespace: string | null }> = await tx(
        REGISTRY,
      ).select(
        'name',
        tx.raw(`product -> 'metadata' ->> 'namespace' as namespace`),
      );
      for (const row of rows) {
        current.add(
          meshRef({
            kind: DATA_PRODUCT_KIND,
            namespace: row.namespace ?? 'default',
            name: row.name,
          }),
        );
      }
      const indexed: Array<{ ref: string; kind: string; product: string }> =
        await tx('data_product_mesh_nodes')
          .where({ origin: 'registry' })
          .select('ref', 'kind', 'product');
      const gone = indexed
        .filter(node =>
          node.kind === DATA_PRODUCT_KIND
            ? !current.has(node.ref)
            : !current.has(node.product),
        )
        .map(node => node.ref);
      await this.#index.remove(gone, tx);
    });
    return count;
  }

  // One page of registry rows (by name, after `after`), read and indexed in
  // one locked transaction.
  async #reconcileRegistryPage(after: string): Promise<RegistryRow[]> {
    return this.#index.write(async tx => {
      const page: RegistryRow[] = await tx(REGISTRY)
        .where('name', '>', after)
        .orderBy('name')
        .limit(this.#pageSize)
        .select('name', 'product', 'ports', 'status');
      const wanted = page.flatMap(registryDeclarations);
      const products = wanted
        .filter(d => d.node.kind === DATA_PRODUCT_KIND)
        .map(d => d.node.ref);
      const keep = new Set(wanted.map(d => d.node.ref));
      // Ports these products no longer expose.
      const ports: string[] =
        products.length === 0
          ? []
          : await tx('data_product_mesh_nodes')
              .where({ origin: 'registry' })
              .whereIn('product', products)
              .pluck('ref');
      await this.#index.remove(
        ports.filter(ref => !keep.has(ref)),
        tx,
      );
      await this.#index.replace(wanted, tx);
      return page;
    });
  }

  async #reconcileCatalog(): Promise<{
    catalogNodes: number;
    removed: number;
  }> {
    const products: DataProductEntityV1alpha1[] = [];
    const portsByProduct = new Map<string, OutputPortEntityV1alpha1[]>();
    // Readers of other kinds, by ref, with what they read.
    const readers = new Map<string, Set<string>>();
    const addReaders = (entity: Entity) => {
      const ref = meshRef(stringifyEntityRef(entity));
      for (const reader of dependents(entity)) {
        if (isEntityRefOfKind(reader, DATA_PRODUCT_KIND)) continue;
        if (!readers.has(reader)) readers.set(reader, new Set());
        readers.get(reader)!.add(ref);
      }
    };
    const credentials = await this.#auth.getOwnServiceCredentials();
    let cursor: string | undefined;
    do {
      const page = await this.#catalog.queryEntities(
        cursor
          ? { cursor, limit: this.#pageSize, fields: ENTITY_FIELDS }
          : {
              filter: { kind: [DATA_PRODUCT_KIND, OUTPUT_PORT_KIND] },
              limit: this.#pageSize,
              fields: ENTITY_FIELDS,
              orderFields: { field: 'metadata.name', order: 'asc' },
            },
        { credentials },
      );
      for (const entity of page.items) {
        if (entity.kind === OUTPUT_PORT_KIND) addReaders(entity);
        if (isFromRegistry(entity)) continue;
        if (entity.kind === DATA_PRODUCT_KIND) {
          products.push(entity as DataProductEntityV1alpha1);
        } else if (entity.kind === OUTPUT_PORT_KIND) {
          const port = entity as OutputPortEntityV1alpha1;
          const product = portDeclaration(port, 'catalog').node.product ?? '';
          if (!portsByProduct.has(product)) portsByProduct.set(product, []);
          portsByProduct.get(product)!.push(port);
        }
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);

    const declarations: MeshDeclaration[] = [];
    for (const product of products) {
      const ref = meshRef(stringifyEntityRef(product));
      declarations.push(
        ...productDeclarations({
          product,
          ports: portsByProduct.get(ref) ?? [],
          origin: 'catalog',
        }),
      );
      portsByProduct.delete(ref);
    }
    // Ports whose product is not a catalog product (not in the catalog, or
    // a registry product): indexed alone.
    for (const ports of portsByProduct.values()) {
      declarations.push(...ports.map(port => portDeclaration(port, 'catalog')));
    }

    // The sources every product reads (the registry's too), and their readers.
    const sources = new Set<string>();
    const registryInputs: string[] = await this.#index.database
      .from('data_product_mesh_edges')
      .where({ type: 'feeds' })
      .whereIn(
        'declared_by',
        this.#index
          .database('data_product_mesh_nodes')
          .select('ref')
          .where({ origin: 'registry', kind: DATA_PRODUCT_KIND }),
      )
      .pluck('source');
    for (const ref of [
      ...registryInputs,
      ...declarations.flatMap(d => d.edges.map(edge => edge.source)),
    ]) {
      if (isEntityRefOfKind(ref, SOURCE_RESOURCE_KIND)) sources.add(ref);
    }
    for (const source of await this.#getEntities([...sources])) {
      declarations.push(entityDeclaration(source));
      addReaders(source);
    }
    const readerEntities = await this.#getEntities([...readers.keys()]);
    for (const reader of readerEntities) {
      const ref = meshRef(stringifyEntityRef(reader));
      if (sources.has(ref)) continue;
      declarations.push(
        entityDeclaration(reader, [...(readers.get(ref) ?? [])]),
      );
    }

    // Write in steps, then remove the catalog nodes that are gone.
    for (let i = 0; i < declarations.length; i += this.#pageSize) {
      const batch = declarations.slice(i, i + this.#pageSize);
      await this.#index.write(tx => this.#index.replace(batch, tx));
    }
    const wanted = new Set(declarations.map(d => d.node.ref));
    const removed = await this.#index.write(async tx => {
      // A source that a product registered meanwhile reads (its event
      // added it; this reconcile did not look it up) stays.
      const readByRegistry = new Set<string>(
        await tx('data_product_mesh_edges')
          .where({ type: 'feeds' })
          .whereIn(
            'declared_by',
            tx('data_product_mesh_nodes')
              .select('ref')
              .where({ origin: 'registry', kind: DATA_PRODUCT_KIND }),
          )
          .pluck('source'),
      );
      const gone = (await this.#index.refsOfOrigin('catalog', tx)).filter(
        ref =>
          !wanted.has(ref) && !(readByRegistry.has(ref) && !sources.has(ref)),
      );
      await this.#index.remove(gone, tx);
      return gone.length;
    });
    return { catalogNodes: declarations.length, removed };
  }

  // Entities by ref with the plugin's own credentials, in pages.
  async #getEntities(refs: string[]): Promise<Entity[]> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const found: Entity[] = [];
    for (let i = 0; i < refs.length; i += this.#pageSize) {
      const { items } = await this.#catalog.getEntitiesByRefs(
        {
          entityRefs: refs.slice(i, i + this.#pageSize),
          fields: ENTITY_FIELDS,
        },
        { credentials },
      );
      for (const entity of items) {
        if (entity) found.push(entity);
      }
    }
    return found;
  }
}
