import type { Knex } from 'knex';
import type { LineageEdge } from '@dataproducts/plugin-data-products-common';
import type {
  MeshDeclaration,
  MeshEdgeRow,
  MeshNodeOrigin,
  MeshNodeRow,
} from './meshEntries';

// Made by the package's migrations (see migrations/20261220000000_mesh_index.js).
const NODES = 'data_product_mesh_nodes';
const EDGES = 'data_product_mesh_edges';
const STATE = 'data_product_mesh_state';

/**
 * The state key of the index's version: a number that every write
 * transaction raises, so that readers can keep what they computed from the
 * index until it changes.
 */
const MESH_VERSION = 'version';

/** The index's version ({@link MESH_VERSION}); '0' before its first write. */
export async function meshIndexVersion(db: Knex): Promise<string> {
  const row = await db(STATE).where({ key: MESH_VERSION }).first('value');
  return row?.value ?? '0';
}

/** The state key of the time the last full reconcile finished (ISO). */
export const MESH_RECONCILED_AT = 'reconciled_at';

// Every write of the index holds this transaction-level lock, so that an
// event's update and a reconcile on another replica never interleave: each
// reads the registry inside its own locked transaction, so whichever runs
// last writes what the registry holds then.
const WRITE_LOCK = 'data-products mesh index';

// The columns compared before an update, so that a reconcile that finds
// nothing changed writes nothing (and `updated_at` says when a row changed).
const COMPARED_COLUMNS = [
  'kind',
  'namespace',
  'name',
  'title',
  'description',
  'type',
  'owner',
  'domain',
  'product',
  'lifecycle',
  'summary',
  'search',
  'origin',
];

const BATCH = 500;

/** What lineage needs of a node. */
export interface MeshLineageNode {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  type: string | null;
  owner: string | null;
}

/** One step from a node to a neighbour, in a direction of the data flow. */
export interface MeshStep {
  /** The node the step starts from. */
  from: string;
  type: LineageEdge['type'];
  /** The neighbour. */
  node: MeshLineageNode;
}

const LINEAGE_COLUMNS = [
  'ref',
  'kind',
  'namespace',
  'name',
  'title',
  'type',
  'owner',
];

function chunks<T>(items: T[], size = BATCH): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

const edgeKey = (edge: MeshEdgeRow) =>
  `${edge.source}\n${edge.target}\n${edge.type}`;

/**
 * The mesh index in the plugin's database: data products, output ports,
 * sources and the entities that read them (`data_product_mesh_nodes`), with
 * the edges between them (`data_product_mesh_edges`). Each node's edges are
 * those it declares (`declared_by`): a product its `exposes` edges to its
 * ports and its `feeds` edges from its inputs; any other reader its `feeds`
 * edges from what it reads. A node is replaced with its edges in one
 * transaction, so readers never see half of a change.
 */
export class MeshIndex {
  #built = false;

  /** An index over the plugin's database, whose migrations made the tables. */
  constructor(private readonly knex: Knex) {}

  /** The database the index lives in, for the routers that query its tables. */
  get database(): Knex {
    return this.knex;
  }

  /**
   * Runs `fn` in a transaction that holds the index's write lock: the
   * writes of this replica and of every other one sharing the database are
   * applied one at a time.
   */
  async write<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.knex.transaction(async tx => {
      await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [WRITE_LOCK]);
      const result = await fn(tx);
      await tx.raw(
        `INSERT INTO ${STATE} (key, value) VALUES (?, '1')
         ON CONFLICT (key) DO UPDATE SET value = (${STATE}.value::bigint + 1)::text`,
        [MESH_VERSION],
      );
      return result;
    });
  }

  /**
   * Replaces nodes and the edges each declares. A `catalog` node never
   * replaces a `registry` one of the same ref (the registry's product wins);
   * such a declaration is skipped, with its edges. Rows that did not change
   * are not written.
   */
  async replace(
    declarations: MeshDeclaration[],
    tx: Knex.Transaction,
  ): Promise<void> {
    if (declarations.length === 0) return;
    for (const batch of chunks(declarations)) {
      const catalogRefs = batch
        .filter(d => d.node.origin === 'catalog')
        .map(d => d.node.ref);
      const registryOwned = new Set<string>(
        catalogRefs.length === 0
          ? []
          : await tx(NODES)
              .whereIn('ref', catalogRefs)
              .andWhere('origin', 'registry')
              .pluck('ref'),
      );
      const applied = batch.filter(
        d => d.node.origin === 'registry' || !registryOwned.has(d.node.ref),
      );
      if (applied.length === 0) continue;
      await this.#upsertNodes(
        applied.map(d => d.node),
        tx,
      );
      await this.#replaceEdges(applied, tx);
    }
  }

  async #upsertNodes(nodes: MeshNodeRow[], tx: Knex.Transaction) {
    const now = new Date();
    const rows = nodes.map(node => ({
      ...node,
      summary: JSON.stringify(node.summary),
      updated_at: now,
    }));
    const changed = `(${COMPARED_COLUMNS.map(c => `${NODES}.${c}`).join(
      ', ',
    )}) IS DISTINCT FROM (${COMPARED_COLUMNS.map(c => `excluded.${c}`).join(
      ', ',
    )})`;
    await tx(NODES)
      .insert(rows)
      .onConflict('ref')
      .merge([...COMPARED_COLUMNS, 'updated_at'])
      .whereRaw(
        // A catalog entity never overwrites the registry's product.
        `(excluded.origin = 'registry' OR ${NODES}.origin = 'catalog') AND ${changed}`,
      );
  }

  async #replaceEdges(declarations: MeshDeclaration[], tx: Knex.Transaction) {
    const declarers = declarations.map(d => d.node.ref);
    const existing: Array<MeshEdgeRow & { declared_by: string }> = await tx(
      EDGES,
    )
      .whereIn('declared_by', declarers)
      .select('source', 'target', 'type', 'declared_by');
    const wanted = new Map<string, MeshEdgeRow & { declared_by: string }>();
    for (const { node, edges } of declarations) {
      for (const edge of edges) {
        wanted.set(edgeKey(edge), { ...edge, declared_by: node.ref });
      }
    }
    const have = new Set(existing.map(edgeKey));
    const stale = existing.filter(edge => !wanted.has(edgeKey(edge)));
    for (const batch of chunks(stale)) {
      await tx(EDGES)
        .whereIn(
          ['source', 'target', 'type'],
          batch.map(e => [e.source, e.target, e.type]),
        )
        .delete();
    }
    const added = [...wanted.values()].filter(edge => !have.has(edgeKey(edge)));
    for (const batch of chunks(added)) {
      await tx(EDGES)
        .insert(batch)
        .onConflict(['source', 'target', 'type'])
        .merge(['declared_by']);
    }
  }

  /** Removes nodes and the edges they declare. */
  async remove(refs: string[], tx: Knex.Transaction): Promise<void> {
    for (const batch of chunks(refs)) {
      await tx(EDGES).whereIn('declared_by', batch).delete();
      await tx(NODES).whereIn('ref', batch).delete();
    }
  }

  /** The refs of every node of an origin (for a reconcile to find the gone ones). */
  async refsOfOrigin(
    origin: MeshNodeOrigin,
    tx: Knex.Transaction,
  ): Promise<string[]> {
    return tx(NODES).where({ origin }).pluck('ref');
  }

  /** The nodes with these refs, as lineage shows them. */
  async nodes(refs: string[]): Promise<MeshLineageNode[]> {
    if (refs.length === 0) return [];
    return this.knex(NODES).whereIn('ref', refs).select(LINEAGE_COLUMNS);
  }

  /**
   * The steps from each of `refs` to its neighbours: downstream along the
   * edges leaving them, upstream along the edges reaching them. Edges to a
   * ref that is not (or not yet) a node are left out. One indexed query.
   */
  async neighbours(
    refs: string[],
    direction: 'upstream' | 'downstream',
  ): Promise<MeshStep[]> {
    if (refs.length === 0) return [];
    const [from, to] =
      direction === 'downstream' ? ['source', 'target'] : ['target', 'source'];
    const rows: Array<MeshLineageNode & { from: string; edge_type: string }> =
      await this.knex(`${EDGES} as e`)
        .join(`${NODES} as n`, 'n.ref', `e.${to}`)
        .whereRaw(`e.${from} = ANY(?::text[])`, [refs])
        .select(
          `e.${from} as from`,
          'e.type as edge_type',
          ...LINEAGE_COLUMNS.map(c => `n.${c}`),
        )
        .orderBy([`e.${from}`, 'e.type', 'n.ref']);
    return rows.map(({ from: source, edge_type, ...node }) => ({
      from: source,
      type: edge_type as LineageEdge['type'],
      node,
    }));
  }

  /**
   * Every step from the nodes reachable from `root` in a direction within
   * `maxHops` (a `feeds` edge is a hop, `exposes` is not), in one recursive
   * query: what a breadth-first walk reads level by level, read at once.
   * The recursion stops after `maxRows` (node, hops) pairs, and the answer
   * is then `undefined`: walk level by level instead.
   */
  async reachableSteps(
    root: string,
    direction: 'upstream' | 'downstream',
    maxHops: number,
    maxRows: number,
  ): Promise<MeshStep[] | undefined> {
    const [from, to] =
      direction === 'downstream' ? ['source', 'target'] : ['target', 'source'];
    const hop = `CASE WHEN e.type = 'feeds' THEN 1 ELSE 0 END`;
    const { rows } = await this.knex.raw(
      `WITH RECURSIVE reach(ref, hops) AS (
         SELECT ?::text, 0
         UNION
         SELECT e.${to}, r.hops + ${hop}
           FROM reach r
           JOIN ${EDGES} e ON e.${from} = r.ref
           JOIN ${NODES} n ON n.ref = e.${to}
          WHERE r.hops + ${hop} <= ?
       ),
       capped AS (SELECT ref FROM reach LIMIT ?),
       expanded AS (SELECT DISTINCT ref FROM capped)
       SELECT e.${from} AS "from", e.type AS edge_type,
              ${LINEAGE_COLUMNS.map(c => `n.${c}`).join(', ')},
              (SELECT count(*) FROM capped) AS reached
         FROM expanded x
         JOIN ${EDGES} e ON e.${from} = x.ref
         JOIN ${NODES} n ON n.ref = e.${to}
        ORDER BY e.${from}, e.type, n.ref`,
      [root, maxHops, maxRows],
    );
    if (rows.length > 0 && Number(rows[0].reached) >= maxRows) {
      return undefined;
    }
    return rows.map(
      ({
        from: source,
        edge_type,
        reached: _reached,
        ...node
      }: MeshLineageNode & {
        from: string;
        edge_type: string;
        reached: string;
      }) => ({
        from: source,
        type: edge_type as LineageEdge['type'],
        node,
      }),
    );
  }

  /**
   * Up to `limit` nodes of the whole mesh (products first, then ports, then
   * the rest) and the edges between them.
   */
  async mesh(limit: number): Promise<{
    nodes: MeshLineageNode[];
    edges: MeshEdgeRow[];
  }> {
    const nodes: MeshLineageNode[] = await this.knex(NODES)
      .select(LINEAGE_COLUMNS)
      .orderByRaw(
        `CASE kind WHEN 'DataProduct' THEN 0 WHEN 'OutputPort' THEN 1 ELSE 2 END, ref`,
      )
      .limit(limit);
    const refs = nodes.map(node => node.ref);
    const inMesh = new Set(refs);
    const edges: MeshEdgeRow[] =
      refs.length === 0
        ? []
        : await this.knex(EDGES)
            .whereRaw('source = ANY(?::text[])', [refs])
            .select('source', 'target', 'type')
            .orderBy(['source', 'target', 'type']);
    return { nodes, edges: edges.filter(edge => inMesh.has(edge.target)) };
  }

  /**
   * Whether a full reconcile has finished once on this database: until
   * then the index may lack what the catalog holds. Remembered once true.
   */
  async isBuilt(): Promise<boolean> {
    if (!this.#built) {
      this.#built = (await this.getState(MESH_RECONCILED_AT)) !== undefined;
    }
    return this.#built;
  }

  /** A value of the index's bookkeeping (`data_product_mesh_state`). */
  async getState(
    key: string,
    db: Knex = this.knex,
  ): Promise<string | undefined> {
    const row = await db(STATE).where({ key }).first();
    return row?.value;
  }

  /** Sets a value of the index's bookkeeping. */
  async setState(key: string, value: string, db: Knex = this.knex) {
    await db(STATE).insert({ key, value }).onConflict('key').merge(['value']);
  }
}
