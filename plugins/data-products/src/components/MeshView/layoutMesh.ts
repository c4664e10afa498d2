import type {
  MeshGraph,
  MeshNode,
} from '@dataproducts/plugin-data-products-common';
import ElkApi from 'elkjs/lib/elk-api.js';
import type { ElkNode } from 'elkjs/lib/elk.bundled.js';
import { layoutOverview, type OverviewPoint } from './layoutOverview';

/** What the runner needs of an ELK instance. */
interface ElkLayouter {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** Width and height of a group (domain, sources) node, in pixels. */
export const GROUP_WIDTH = 220;
export const GROUP_HEIGHT = 72;
/** Width and height of a product or source node, in pixels. */
export const MEMBER_WIDTH = 200;
export const MEMBER_HEIGHT = 52;

/** A mesh node with its position from the layout. */
export interface PositionedMeshNode {
  node: MeshNode;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A graph laid out: its nodes placed, and the bends of the flows routed around nodes (by `source->target`). */
export interface MeshLayout {
  nodes: PositionedMeshNode[];
  routes: Map<string, OverviewPoint[]>;
}

/**
 * Lays a graph out in a web worker when the browser has them (the app's
 * bundler turns `new Worker(new URL(...))` into a worker chunk), so that a
 * layout never holds the page's main thread; on the main thread when there
 * is no worker (tests) or it cannot start.
 */
class MeshLayoutRunner {
  #worker: ElkLayouter | undefined | null = null;
  #inThread: ElkLayouter | undefined;

  #startWorker(): ElkLayouter | undefined {
    if (typeof Worker === 'undefined') return undefined;
    try {
      const failed = new Promise<never>((_resolve, reject) => {
        this.#workerFailed = reject;
      });
      // A failed start is handled by the layout that waits on it.
      failed.catch(() => undefined);
      const elk = new ElkApi({
        workerFactory: () => {
          const worker = new Worker(
            new URL('./meshLayout.worker.ts', import.meta.url),
          );
          worker.addEventListener('error', () =>
            this.#workerFailed?.(new Error('the layout worker failed')),
          );
          return worker;
        },
      });
      return {
        layout: graph => Promise.race([elk.layout(graph), failed]),
      };
    } catch {
      return undefined;
    }
  }

  #workerFailed: ((error: Error) => void) | undefined;

  // ELK's 1.5 MB script is loaded only when there is no worker: compiling it
  // on the page's main thread is a long task of its own.
  async #layoutInThread(graph: ElkNode): Promise<ElkNode> {
    if (!this.#inThread) {
      const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
      this.#inThread = new ELK();
    }
    return this.#inThread.layout(graph);
  }

  /** Starts the worker, so that its script is loaded before the first layout needs it. */
  warm(): void {
    if (this.#worker === null) this.#worker = this.#startWorker();
  }

  async layout(graph: ElkNode): Promise<ElkNode> {
    this.warm();
    if (this.#worker) {
      try {
        return await this.#worker.layout(graph);
      } catch {
        // The worker could not run: lay out on the main thread from now on.
        this.#worker = undefined;
      }
    }
    return this.#layoutInThread(graph);
  }
}

const runner = new MeshLayoutRunner();

/**
 * Loads the layout worker ahead of the first graph of products that needs
 * it (the domain overview is laid out without it).
 */
export function warmMeshLayout(): void {
  runner.warm();
}

/** Whether a node stands for a group of members. */
export function isGroup(node: MeshNode): boolean {
  return node.kind === 'domain' || node.kind === 'sources';
}

// Layouts already computed, by the graph's shape: going back to a view seen
// before (reset, a depth tried earlier) draws it without laying it out again.
const cache = new Map<string, PositionedMeshNode[]>();
const CACHE_SIZE = 30;

function shapeKey(graph: MeshGraph): string {
  return JSON.stringify([
    graph.nodes.map(n => n.id),
    graph.edges.map(e => [e.source, e.target]),
  ]);
}

// Room between the overview's columns for the flows and their labels.
const OVERVIEW_COLUMN_GAP = 130;
const OVERVIEW_ROW_GAP = 28;
// The height a flow passing a column takes in it.
const OVERVIEW_LANE = 22;
// About the proportions of the view (its full width, 75 % of its height).
const OVERVIEW_ASPECT_RATIO = 1.8;

/**
 * Lays the mesh out left to right (sources on the left, consumers on the
 * right). The domain overview is laid out in columns on the page's thread
 * ({@link layoutOverview}); a graph of products with ELK's layered
 * algorithm, in a web worker. The graph is bounded by the server (at most
 * 300 nodes), and the options favour speed over the last crossing saved for
 * large graphs.
 */
export async function layoutMesh(graph: MeshGraph): Promise<MeshLayout> {
  if (graph.nodes.every(isGroup)) {
    const { positions, routes } = layoutOverview(graph.nodes, graph.edges, {
      nodeWidth: GROUP_WIDTH,
      nodeHeight: GROUP_HEIGHT,
      columnGap: OVERVIEW_COLUMN_GAP,
      rowGap: OVERVIEW_ROW_GAP,
      laneHeight: OVERVIEW_LANE,
      aspectRatio: OVERVIEW_ASPECT_RATIO,
    });
    return {
      nodes: graph.nodes.map(node => ({
        node,
        ...positions.get(node.id)!,
        width: GROUP_WIDTH,
        height: GROUP_HEIGHT,
      })),
      routes,
    };
  }
  const key = shapeKey(graph);
  const cached = cache.get(key);
  if (cached) {
    const byId = new Map(graph.nodes.map(node => [node.id, node]));
    return {
      nodes: cached.map(p => ({ ...p, node: byId.get(p.node.id)! })),
      routes: new Map(),
    };
  }
  const size = (node: MeshNode) =>
    isGroup(node)
      ? { width: GROUP_WIDTH, height: GROUP_HEIGHT }
      : { width: MEMBER_WIDTH, height: MEMBER_HEIGHT };
  const large = graph.nodes.length > 100;
  const laidOut = await runner.layout({
    id: 'mesh',
    // Large graphs trade a few crossings for speed: simple node placement
    // and one layered layout for all components (measured in headless
    // Chromium at 300 nodes and 400 edges: 1.0 s instead of 4.9 s). React
    // Flow draws its own edges, so ELK's routes are the cheapest kind.
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '24',
      'elk.layered.nodePlacement.strategy': large ? 'SIMPLE' : 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
      'elk.layered.thoroughness': large ? '1' : '7',
      'elk.layered.cycleBreaking.strategy': 'GREEDY',
      'elk.layered.edgeRouting': 'POLYLINE',
      'elk.separateConnectedComponents': large ? 'false' : 'true',
      'elk.spacing.componentComponent': '40',
    },
    children: graph.nodes.map(node => ({ id: node.id, ...size(node) })),
    edges: graph.edges.map(edge => ({
      id: `${edge.source}->${edge.target}`,
      sources: [edge.source],
      targets: [edge.target],
    })),
  });
  const byId = new Map(graph.nodes.map(node => [node.id, node]));
  const positioned = (laidOut.children ?? []).map(child => ({
    node: byId.get(child.id)!,
    x: child.x ?? 0,
    y: child.y ?? 0,
    width: child.width ?? MEMBER_WIDTH,
    height: child.height ?? MEMBER_HEIGHT,
  }));
  if (cache.size >= CACHE_SIZE) {
    cache.delete(cache.keys().next().value!);
  }
  cache.set(key, positioned);
  return { nodes: positioned, routes: new Map() };
}
