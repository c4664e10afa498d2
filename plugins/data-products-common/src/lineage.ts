/** One entity in a lineage graph: a data product, an output port, a source Resource or any other consumer. */
export interface LineageNode {
  /** The entity ref, e.g. `dataproduct:default/marketing-customer-360`. */
  id: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  /** The entity's `spec.type` (product type, port type, resource type). */
  type?: string;
  /** The entity's owner ref, when it has one. */
  owner?: string;
  /** Hops from the entity the graph was asked for: negative upstream, positive downstream, 0 for it and its own ports. */
  distance: number;
}

/** A directed edge of a lineage graph, in the direction data flows. */
export interface LineageEdge {
  source: string;
  target: string;
  /** `exposes`: a product to one of its output ports; `feeds`: an input (port or source) to the entity that reads it. */
  type: 'exposes' | 'feeds';
}

/** A lineage graph as served by `GET /api/data-products/lineage`. */
export interface Lineage {
  /** The entity ref the graph was computed from; absent for the mesh-wide graph. */
  root?: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** True when the graph was cut at the node limit. */
  truncated: boolean;
}
