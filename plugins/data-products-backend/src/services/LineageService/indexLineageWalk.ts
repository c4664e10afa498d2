import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  isEntityRefOfKind,
  SOURCE_RESOURCE_KIND,
  type Lineage,
  type LineageEdge,
  type LineageNode,
} from '@dataproducts/plugin-data-products-common';
import type { MeshLineageNode, MeshStep } from '../../meshIndex';
import { MAX_LINEAGE_NODES } from './lineageLimits';

/** Which way a walk goes along the data flow. */
export type LineageDirection = 'upstream' | 'downstream';

/** Reads the steps from a set of nodes (lowercased refs) to their neighbours. */
export type LineageStepReader = (
  refs: string[],
  direction: LineageDirection,
) => Promise<MeshStep[]>;

/** The entity ref a node is shown with: its kind, namespace and name as written. */
export function lineageNodeId(node: MeshLineageNode): string {
  return stringifyEntityRef({
    kind: node.kind,
    namespace: node.namespace,
    name: node.name,
  });
}

/** A lineage node from an index node, at a distance. */
export function toLineageNode(
  node: MeshLineageNode,
  distance: number,
): LineageNode {
  return {
    id: lineageNodeId(node),
    kind: node.kind,
    namespace: node.namespace,
    name: node.name,
    ...(node.title ? { title: node.title } : {}),
    ...(node.type ? { type: node.type } : {}),
    ...(node.owner ? { owner: node.owner } : {}),
    distance,
  };
}

/** Collects a graph's nodes (at their smallest distance) and edges, up to the node limit. */
class LineageGraph {
  readonly #nodes = new Map<string, LineageNode>();
  readonly #edges = new Map<string, LineageEdge>();
  #truncated = false;

  get full(): boolean {
    return this.#truncated;
  }

  /** Adds a node (keeping the smallest distance seen); false when the node limit is reached. */
  addNode(node: MeshLineageNode, distance: number): boolean {
    const existing = this.#nodes.get(node.ref);
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
    this.#nodes.set(node.ref, toLineageNode(node, distance));
    return true;
  }

  addEdge(source: string, target: string, type: LineageEdge['type']) {
    const from = this.#nodes.get(source);
    const to = this.#nodes.get(target);
    if (!from || !to) return;
    this.#edges.set(`${source} ${target}`, {
      source: from.id,
      target: to.id,
      type,
    });
  }

  build(root: string): Lineage {
    return {
      root,
      nodes: [...this.#nodes.values()],
      edges: [...this.#edges.values()],
      truncated: this.#truncated,
    };
  }
}

/**
 * The lineage around a node, walked breadth first over the mesh index one
 * level at a time (one read per level): upstream along the edges reaching a
 * node, downstream along those leaving it. Crossing a `feeds` edge is one
 * hop; a product and its own ports (`exposes`) are one unit, so moving
 * between them is not. Sources end the walk upstream. The same walk the
 * catalog walk does, over the index instead of the catalog.
 */
export async function walkLineage(options: {
  root: MeshLineageNode;
  upstream: number;
  downstream: number;
  read: LineageStepReader;
}): Promise<Lineage> {
  const { root, read } = options;
  const graph = new LineageGraph();
  graph.addNode(root, 0);
  await walkDirection(graph, root, 'upstream', options.upstream, read);
  await walkDirection(graph, root, 'downstream', options.downstream, read);
  return graph.build(lineageNodeId(root));
}

async function walkDirection(
  graph: LineageGraph,
  root: MeshLineageNode,
  direction: LineageDirection,
  maxHops: number,
  read: LineageStepReader,
): Promise<void> {
  const sign = direction === 'upstream' ? -1 : 1;
  const visited = new Set<string>([root.ref]);
  let frontier: Array<{ ref: string; hops: number }> = [
    { ref: root.ref, hops: 0 },
  ];
  while (frontier.length > 0 && !graph.full) {
    const steps = await read(
      frontier.map(item => item.ref),
      direction,
    );
    const stepsFrom = new Map<string, MeshStep[]>();
    for (const step of steps) {
      if (!stepsFrom.has(step.from)) stepsFrom.set(step.from, []);
      stepsFrom.get(step.from)!.push(step);
    }
    // In the frontier's order, each node's steps within the depth.
    const pending = frontier.flatMap(({ ref, hops }) =>
      (stepsFrom.get(ref) ?? [])
        .map(step => ({
          step,
          ref,
          hops: step.type === 'feeds' ? hops + 1 : hops,
        }))
        .filter(item => item.hops <= maxHops),
    );
    const next: Array<{ ref: string; hops: number }> = [];
    for (const { step, ref, hops } of pending) {
      if (!graph.addNode(step.node, sign * hops)) break;
      if (direction === 'upstream') {
        graph.addEdge(step.node.ref, ref, step.type);
      } else {
        graph.addEdge(ref, step.node.ref, step.type);
      }
      if (visited.has(step.node.ref)) continue;
      visited.add(step.node.ref);
      if (
        direction === 'upstream' &&
        isEntityRefOfKind(step.node.ref, SOURCE_RESOURCE_KIND)
      ) {
        continue;
      }
      next.push({ ref: step.node.ref, hops });
    }
    frontier = next;
  }
}

/**
 * A step reader over the steps another walk read, without the nodes a
 * predicate rejects: to walk again, in memory, over what a caller may see.
 */
export function recordingReader(read: LineageStepReader): {
  read: LineageStepReader;
  replay(visible: (ref: string) => boolean): LineageStepReader;
  refs(): string[];
} {
  const seen = new Map<string, MeshStep[]>();
  const refs = new Set<string>();
  const key = (ref: string, direction: LineageDirection) =>
    `${direction}\n${ref}`;
  return {
    read: async (frontier, direction) => {
      const steps = await read(frontier, direction);
      for (const ref of frontier) seen.set(key(ref, direction), []);
      for (const step of steps) {
        seen.get(key(step.from, direction))?.push(step);
        refs.add(step.node.ref);
      }
      return steps;
    },
    replay: visible => async (frontier, direction) =>
      frontier.flatMap(ref =>
        (seen.get(key(ref, direction)) ?? []).filter(step =>
          visible(step.node.ref),
        ),
      ),
    refs: () => [...refs],
  };
}
