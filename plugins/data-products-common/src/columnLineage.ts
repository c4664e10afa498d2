/**
 * How a column derives from another, in the vocabulary of OpenLineage's
 * ColumnLineageDatasetFacet: `DIRECT` (the value comes from it: IDENTITY,
 * TRANSFORMATION, AGGREGATION) or `INDIRECT` (it decides which rows there
 * are or in which order: JOIN, FILTER, GROUP_BY, SORT, WINDOW, CONDITIONAL).
 */
export interface ColumnLineageTransformation {
  type: 'DIRECT' | 'INDIRECT';
  subtype:
    | 'IDENTITY'
    | 'TRANSFORMATION'
    | 'AGGREGATION'
    | 'JOIN'
    | 'FILTER'
    | 'GROUP_BY'
    | 'SORT'
    | 'WINDOW'
    | 'CONDITIONAL';
}

/** A column of an output port or of a source table, in a column lineage graph. */
export interface ColumnLineageField {
  /** `<entity ref>#<column>`, or `table:<schema.table>#<column>` for a source table no catalog Resource names. */
  id: string;
  /** The OutputPort's or the source Resource's entity ref; absent for a source table no Resource names. */
  entityRef?: string;
  /** `OutputPort`, `Resource`, or `Table` for a source table no Resource names. */
  kind: 'OutputPort' | 'Resource' | 'Table';
  /** The entity's title (a port's name, a source's table), or the table. */
  title: string;
  /** The relation in the warehouse, `schema.name`. */
  relation: string;
  column: string;
  /** Hops from the port asked for: negative upstream, positive downstream, 0 for its own columns. */
  distance: number;
}

/** A column derived from another: `source` flows into `target`. */
export interface ColumnLineageLink {
  /** The input column's field id. */
  source: string;
  /** The output column's field id. */
  target: string;
  transformations: ColumnLineageTransformation[];
}

/** A column reached from another, transitively, and how it derives. */
export interface ColumnLineageReach {
  /** The field id (see {@link ColumnLineageField}). */
  id: string;
  /** Hops from the column. */
  hops: number;
  /** How the derivation composes along the way (an INDIRECT hop makes it INDIRECT). */
  transformations: ColumnLineageTransformation[];
}

/** The columns of an output port with their lineage, as served by `GET /ports/:namespace/:name/columns`. */
export interface PortColumnLineage {
  /** The port's entity ref. */
  port: string;
  /** When the build whose lineage this is ran (ISO timestamp); absent when the port has no recorded lineage. */
  builtAt?: string;
  /** The port's columns, in order. */
  columns: Array<{
    name: string;
    /** The field id of the column. */
    id: string;
    /** Input columns it derives from, transitively back to source-table columns. */
    upstream: ColumnLineageReach[];
    /** Consumer columns derived from it, transitively. */
    downstream: ColumnLineageReach[];
  }>;
  /** Every column reached, the port's own included. */
  fields: ColumnLineageField[];
  /** One hop each, in the direction data flows. */
  links: ColumnLineageLink[];
  /** True when the walk was cut at its depth or size limit. */
  truncated: boolean;
}

/** A consumer column derived from a column, for impact analysis. */
export interface ColumnImpactEntry {
  /** The consumer port's entity ref. */
  port: string;
  /** The consumer port's title. */
  portTitle: string;
  column: string;
  /** The product the port belongs to (entity ref) and its title. */
  product?: string;
  productTitle?: string;
  /** The port's owner (entity ref). */
  owner?: string;
  /** Hops from the column: 1 reads it directly. */
  hops: number;
  transformations: ColumnLineageTransformation[];
}

/** What derives from one column, as served by `GET /ports/:namespace/:name/columns/:column/impact`. */
export interface ColumnImpact {
  port: string;
  column: string;
  consumers: ColumnImpactEntry[];
  truncated: boolean;
}

const DIRECT_RANK: Record<string, number> = {
  IDENTITY: 0,
  TRANSFORMATION: 1,
  AGGREGATION: 2,
};

/**
 * How a column derives from a column two hops up: `upstream` is how the
 * middle column derives from the first, `downstream` how the last derives
 * from the middle one. DIRECT after DIRECT stays DIRECT with the stronger
 * subtype (IDENTITY < TRANSFORMATION < AGGREGATION); an INDIRECT hop makes
 * it INDIRECT, with the subtype of the hop nearest the last column.
 */
export function composeColumnTransformations(
  upstream: ColumnLineageTransformation[],
  downstream: ColumnLineageTransformation[],
): ColumnLineageTransformation[] {
  const composed = new Map<string, ColumnLineageTransformation>();
  for (const down of downstream) {
    for (const up of upstream) {
      let result: ColumnLineageTransformation;
      if (down.type === 'INDIRECT') {
        result = down;
      } else if (up.type === 'INDIRECT') {
        result = up;
      } else {
        result =
          DIRECT_RANK[up.subtype] >= DIRECT_RANK[down.subtype] ? up : down;
      }
      composed.set(`${result.type}.${result.subtype}`, result);
    }
  }
  return [...composed.values()];
}
