/** The deepest lineage a request may ask for, in hops between products. */
export const MAX_LINEAGE_DEPTH = 25;

/** The most nodes a lineage graph holds; larger graphs are cut and marked `truncated`. */
export const MAX_LINEAGE_NODES = 5000;
