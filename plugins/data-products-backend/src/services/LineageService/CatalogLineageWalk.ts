import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  getEntityNamespace,
  isDataProductEntity,
  isEntityRefOfKind,
  isOutputPortEntity,
  Lineage,
  LineageEdge,
  LineageNode,
  OUTPUT_PORT_KIND,
  SOURCE_RESOURCE_KIND,
} from '@dataproducts/plugin-data-products-common';

import { MAX_LINEAGE_NODES } from './lineageLimits';

const ENTITY_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'spec.type',
  'spec.owner',
  'relations',
];

type Direction = 'upstream' | 'downstream';

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => relation.targetRef);
}

class GraphBuilder {
  readonly #nodes = new Map<string, LineageNode>();
  readonly #edges = new Map<string, LineageEdge>();
  #truncated = false;

  get full(): boolean {
    return this.#truncated;
  }

  /** Adds a node (keeping the smallest distance seen); false when the node limit is reached. */
  addNode(entity: Entity, distance: number): boolean {
    const id = stringifyEntityRef(entity);
    const existing = this.#nodes.get(id);
    if (existing) {
      if (Math.abs(distance) < Math.abs(existing.distance)) {
        existing.distance = distance;
      }
      return true;
    }
    if (this.#nodes.size >= MAX_LINEAGE_NODES) {
      this.#truncated = true;
      return false;
    }
    const spec = (entity.spec ?? {}) as { type?: unknown; owner?: unknown };
    this.#nodes.set(id, {
      id,
      kind: entity.kind,
      namespace: getEntityNamespace(entity),
      name: entity.metadata.name,
      title: entity.metadata.title,
      type: typeof spec.type === 'string' ? spec.type : undefined,
      owner:
        relationTargets(entity, 'ownedBy')[0] ??
        (typeof spec.owner === 'string' ? spec.owner : undefined),
      distance,
    });
    return true;
  }

  addEdge(edge: LineageEdge): void {
    if (!this.#nodes.has(edge.source) || !this.#nodes.has(edge.target)) return;
    this.#edges.set(`${edge.source} ${edge.target}`, edge);
  }

  build(root: string | undefined): Lineage {
    return {
      ...(root ? { root } : {}),
      nodes: [...this.#nodes.values()],
      edges: [...this.#edges.values()],
      truncated: this.#truncated,
    };
  }
}

/**
 * Computes lineage from catalog relations: upstream along `dependsOn` to the
 * source Resources, downstream along `dependencyOf` to every consumer, with a
 * product and its output ports (`hasPart`/`partOf`) kept together. Each level
 * is one batched catalog read with the caller's credentials, so a graph costs
 * a few catalog calls however many entities it holds. Lineage answers from
 * the mesh index; this walk answers until the index was first built, and for
 * an entity the index does not hold yet.
 */
export class CatalogLineageWalk {
  readonly #catalog: CatalogService;

  constructor(options: { catalog: CatalogService }) {
    this.#catalog = options.catalog;
  }

  /** The graph around one entity (a full entity ref), as far as the caller sees the catalog. */
  async lineage(request: {
    rootRef: string;
    upstream: number;
    downstream: number;
    credentials: BackstageCredentials;
  }): Promise<Lineage> {
    const { rootRef, credentials } = request;
    const graph = new GraphBuilder();
    const entities = new Map<string, Entity>();
    const [root] = await this.#fetch([rootRef], entities, credentials);
    if (!root) {
      throw new NotFoundError(`No entity '${rootRef}' in the catalog`);
    }
    graph.addNode(root, 0);
    await this.#walk(
      root,
      'upstream',
      request.upstream,
      graph,
      entities,
      credentials,
    );
    await this.#walk(
      root,
      'downstream',
      request.downstream,
      graph,
      entities,
      credentials,
    );
    return graph.build(rootRef);
  }

  async #walk(
    root: Entity,
    direction: Direction,
    maxHops: number,
    graph: GraphBuilder,
    entities: Map<string, Entity>,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const sign = direction === 'upstream' ? -1 : 1;
    const visited = new Set<string>([stringifyEntityRef(root)]);
    let frontier: Array<{ entity: Entity; hops: number }> = [
      { entity: root, hops: 0 },
    ];
    while (frontier.length > 0 && !graph.full) {
      const pending: Array<{
        ref: string;
        hops: number;
        from: string;
        edge: LineageEdge;
      }> = [];
      for (const { entity, hops } of frontier) {
        const ref = stringifyEntityRef(entity);
        for (const next of neighbours(entity, direction)) {
          const nextHops = next.crossesProducts ? hops + 1 : hops;
          if (nextHops > maxHops) continue;
          const edge: LineageEdge =
            direction === 'upstream'
              ? { source: next.ref, target: ref, type: next.edgeType }
              : { source: ref, target: next.ref, type: next.edgeType };
          pending.push({ ref: next.ref, hops: nextHops, from: ref, edge });
        }
      }
      const unknown = [...new Set(pending.map(p => p.ref))].filter(
        ref => !entities.has(ref),
      );
      await this.#fetch(unknown, entities, credentials);
      const nextFrontier: Array<{ entity: Entity; hops: number }> = [];
      for (const item of pending) {
        const entity = entities.get(item.ref);
        if (!entity) continue;
        if (!graph.addNode(entity, sign * item.hops)) break;
        graph.addEdge(item.edge);
        if (visited.has(item.ref)) continue;
        visited.add(item.ref);
        if (
          direction === 'upstream' &&
          isEntityRefOfKind(item.ref, SOURCE_RESOURCE_KIND)
        ) {
          continue;
        }
        nextFrontier.push({ entity, hops: item.hops });
      }
      frontier = nextFrontier;
    }
  }

  /** Every data product and port the caller sees, with what they read and what reads them. */
  async mesh(credentials: BackstageCredentials): Promise<Lineage> {
    const graph = new GraphBuilder();
    const entities = new Map<string, Entity>();
    const { items } = await this.#catalog.getEntities(
      {
        filter: { kind: [DATA_PRODUCT_KIND, OUTPUT_PORT_KIND] },
        fields: ENTITY_FIELDS,
      },
      { credentials },
    );
    for (const entity of items) {
      entities.set(stringifyEntityRef(entity), entity);
    }
    const outside = new Set<string>();
    for (const entity of items) {
      for (const ref of [
        ...relationTargets(entity, RELATION_DEPENDS_ON),
        ...relationTargets(entity, RELATION_DEPENDENCY_OF),
      ]) {
        if (!entities.has(ref)) outside.add(ref);
      }
    }
    await this.#fetch([...outside], entities, credentials);
    for (const entity of entities.values()) {
      graph.addNode(entity, 0);
    }
    for (const entity of entities.values()) {
      const ref = stringifyEntityRef(entity);
      for (const next of neighbours(entity, 'downstream')) {
        if (entities.has(next.ref)) {
          graph.addEdge({ source: ref, target: next.ref, type: next.edgeType });
        }
      }
    }
    return graph.build(undefined);
  }

  async #fetch(
    refs: string[],
    entities: Map<string, Entity>,
    credentials: BackstageCredentials,
  ): Promise<Array<Entity | undefined>> {
    if (refs.length === 0) return [];
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ENTITY_FIELDS },
      { credentials },
    );
    items.forEach((entity, index) => {
      if (entity) entities.set(refs[index], entity);
    });
    return items;
  }
}

/**
 * The entities one step away in a direction. A product and its own ports are
 * one unit: moving between them does not count as a hop.
 */
function neighbours(
  entity: Entity,
  direction: Direction,
): Array<{
  ref: string;
  edgeType: LineageEdge['type'];
  crossesProducts: boolean;
}> {
  const result: Array<{
    ref: string;
    edgeType: LineageEdge['type'];
    crossesProducts: boolean;
  }> = [];
  if (direction === 'upstream') {
    if (isOutputPortEntity(entity)) {
      for (const ref of relationTargets(entity, RELATION_PART_OF)) {
        if (isEntityRefOfKind(ref, DATA_PRODUCT_KIND)) {
          result.push({ ref, edgeType: 'exposes', crossesProducts: false });
        }
      }
    }
    for (const ref of relationTargets(entity, RELATION_DEPENDS_ON)) {
      result.push({ ref, edgeType: 'feeds', crossesProducts: true });
    }
  } else {
    if (isDataProductEntity(entity)) {
      for (const ref of relationTargets(entity, RELATION_HAS_PART)) {
        if (isEntityRefOfKind(ref, OUTPUT_PORT_KIND)) {
          result.push({ ref, edgeType: 'exposes', crossesProducts: false });
        }
      }
    }
    for (const ref of relationTargets(entity, RELATION_DEPENDENCY_OF)) {
      result.push({ ref, edgeType: 'feeds', crossesProducts: true });
    }
  }
  return result;
}
