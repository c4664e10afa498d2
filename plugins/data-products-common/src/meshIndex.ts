/**
 * What the mesh index keeps of a node beyond its indexed columns (the
 * `summary` JSON of `data_product_mesh_nodes`), for the explorer's rows.
 */
export interface MeshNodeSummary {
  /** The entity's `metadata.tags`. */
  tags?: string[];
  /** A product's output ports, with the names of their declared columns. */
  ports?: Array<{
    /** Lowercased entity ref of the port. */
    ref: string;
    name: string;
    title?: string;
    /** The port's `spec.type` (`table`, `view`). */
    type?: string;
    columns?: string[];
  }>;
  /** For a registry product: the registry's status (`provisioned`, `not-provisioned`, …). */
  registryStatus?: string;
}
