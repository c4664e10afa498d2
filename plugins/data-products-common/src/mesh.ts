/**
 * The mesh view's aggregated graph (`GET /api/data-products/mesh`): domains
 * with their product counts, opened into their products on request, with the
 * data flows between whatever is shown.
 */

/** The id of the group of products that name no domain. */
export const MESH_NO_DOMAIN = 'mesh:no-domain';

/** The id of the group of the source Resources products read. */
export const MESH_SOURCES = 'mesh:sources';

/** The most nodes one mesh graph holds; a larger answer is cut and marked `truncated`. */
export const MAX_MESH_NODES = 300;

/**
 * The most edges between nodes one mesh graph holds: the heaviest are kept,
 * and `omittedEdges` says how many weaker ones were left out.
 */
export const MAX_MESH_EDGES = 400;

/** The deepest neighbourhood a mesh graph may be asked for, in hops each way. */
export const MAX_MESH_DEPTH = 6;

/** Hops each way of a focused graph when a request names none. */
export const DEFAULT_MESH_DEPTH = 2;

/** The most groups one request may open (`expand`). */
export const MAX_MESH_EXPAND = 50;

/**
 * What a node of the mesh graph stands for: a `domain` (a group of
 * products: a Domain, or {@link MESH_NO_DOMAIN}), `sources` (the group
 * {@link MESH_SOURCES}), or one `product` or `source`.
 */
export type MeshNodeKind = 'domain' | 'sources' | 'product' | 'source';

/** One node of the mesh graph. */
export interface MeshNode {
  /**
   * A group's id (a Domain's lowercased entity ref, {@link MESH_NO_DOMAIN},
   * {@link MESH_SOURCES}) or a product's or source's lowercased entity ref.
   */
  id: string;
  kind: MeshNodeKind;
  /** What to show: a domain's name, a product's title or name. */
  title: string;
  /** The group the node belongs to: its own id for a group. */
  group: string;
  /** A group: how many products (or sources) it stands for in this graph. */
  count?: number;
  /**
   * A group of which some members are shown on their own (it was expanded
   * but the node limit was reached): the node stands for the rest.
   */
  partial?: boolean;
  /** Flows between members this node stands for (inside a group). */
  internalFlows?: number;
  /** A product or source: its `metadata.namespace` and `metadata.name`. */
  namespace?: string;
  name?: string;
  /** A product's type (source-aligned, aggregate, consumer-aligned) or a source's. */
  type?: string;
  owner?: string;
  lifecycle?: string;
  /** A focused graph: hops from the focus, negative upstream, positive downstream. */
  distance?: number;
}

/**
 * Data flowing between two nodes of the graph, in the direction it flows.
 * `flows` counts the input declarations behind it: one per port (or source
 * table) of a member of `source` that a member of `target` reads.
 */
export interface MeshEdge {
  source: string;
  target: string;
  flows: number;
}

/** The mesh graph as served by `GET /api/data-products/mesh`. */
export interface MeshGraph {
  nodes: MeshNode[];
  edges: MeshEdge[];
  /** The groups asked to be shown as their members. */
  expanded: string[];
  /** The product (or source) whose neighbourhood this is, when one was asked for. */
  focus?: string;
  /** Hops each way of the neighbourhood, with `focus`. */
  depth?: number;
  /** The node limit the graph was computed with. */
  limit: number;
  /** True when members were left in their group's node because of the limit. */
  truncated: boolean;
  /** Edges between nodes left out beyond {@link MAX_MESH_EDGES}, the weakest first. */
  omittedEdges: number;
}

/** What the mesh view asks for: see `GET /api/data-products/mesh`. */
export interface MeshGraphRequest {
  expand?: string[];
  focus?: string;
  depth?: number;
  limit?: number;
}

/** A product, source or domain whose name or title matches a search. */
export interface MeshSearchMatch {
  id: string;
  kind: MeshNodeKind;
  title: string;
  /** The group it belongs to (its domain), or its own id for a domain. */
  group: string;
  /** A product or source: its `metadata.namespace` and `metadata.name`. */
  namespace?: string;
  name?: string;
  /** A domain: its products. */
  count?: number;
}

/** The answer of `GET /api/data-products/mesh/search?q=`. */
export interface MeshSearchResult {
  matches: MeshSearchMatch[];
}
