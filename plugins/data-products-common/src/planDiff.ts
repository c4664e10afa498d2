/**
 * What a change to a product does to its output ports, as a plan shows it
 * before anything runs: each port added, removed or changed, each column
 * change classified breaking or not, and who reads the port.
 */

/** What changed about one column of a port. */
export type PlanColumnChangeKind =
  | 'added'
  | 'removed'
  | 'type'
  | 'constraint'
  | 'description';

/** One change to one column of a port. */
export interface PlanColumnChange {
  column: string;
  kind: PlanColumnChangeKind;
  /** The value before (a type, the constraints as a list, a description). */
  from?: string;
  /** The value after. */
  to?: string;
  /** True when a reader of the port could break: a removed column, a changed type, a tightened constraint. */
  breaking: boolean;
  /** The change in words, e.g. `column email: type varchar(100) → text`. */
  description: string;
  /** A breaking change: the consumer columns derived from the column, transitively (from the column lineage). */
  derived?: PlanDerivedColumn[];
}

/** A consumer column derived from a changed column. */
export interface PlanDerivedColumn {
  /** The consuming data product's entity name. */
  product: string;
  /** Its port. */
  port: string;
  column: string;
  /** True when its value derives from the column (DIRECT); false when the column only shapes its rows (INDIRECT: join, filter, grouping, sorting). */
  direct: boolean;
}

/** A product or group that reads a port, and how the warehouse knows. */
export interface PlanPortConsumer {
  /** The consuming data product's entity name. */
  product?: string;
  /** The consuming group (`group:<namespace>/<name>`), through its NOLOGIN role. */
  group?: string;
  /** The PostgreSQL role that holds the port's reader role, when one does. */
  role?: string;
  /**
   * How it reads the port: `declared-input` (the portal granted it as a
   * declared input or an approved request), `reader-role` (its role holds
   * the port's reader role), `view` (one of its views depends on the port).
   */
  via: Array<'declared-input' | 'reader-role' | 'view'>;
  /** Its views that depend on the port (`schema.view`). */
  views?: string[];
}

/** An earlier major version of a port, kept readable under a versioned name. */
export interface PlanKeptVersion {
  /** The major version it holds, e.g. 1. */
  major: number;
  /** Its relation, `schema.<port>_v<major>`. */
  relation: string;
  /** Views of other products that still read it (`schema.view`). */
  readBy: string[];
  /** What the plan does with it: `keep` while it is read, `drop` once no one reads it. */
  action: 'keep' | 'drop';
}

/** What a plan does to one output port. */
export interface PlanPortDiff {
  port: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  /** The contract version recorded in the warehouse and the declared one (MAJOR.MINOR.PATCH). */
  version: { from?: string; to?: string };
  /** The materialization before and after, when it changes. */
  type?: { from: string; to: string };
  /** True when any change is breaking (a removed port is). */
  breaking: boolean;
  columns: PlanColumnChange[];
  /** Who reads the port now. */
  consumers: PlanPortConsumer[];
  /**
   * What happens to a breaking change: `refused` (the port has consumers
   * and its major version did not increase), `new-major-version` (the old
   * version is kept readable beside the new one), `applied` (no consumers).
   * Absent when the change is not breaking.
   */
  outcome?: 'refused' | 'new-major-version' | 'applied';
  /** Earlier major versions the warehouse keeps, with what the plan does to each. */
  keptVersions?: PlanKeptVersion[];
}

/** What a plan changes in a product's output ports. */
export interface DataProductPlanDiff {
  product: string;
  /** True when the product is not provisioned yet: every port is added. */
  new: boolean;
  /** True when any port change is breaking. */
  breaking: boolean;
  /** True when a breaking change is refused: the plan would not run. */
  refused: boolean;
  ports: PlanPortDiff[];
}

/** A contract version as numbers. */
export interface ContractVersion {
  major: number;
  minor: number;
  patch: number;
}

/** The version of a port without `spec.version`. */
export const DEFAULT_CONTRACT_VERSION = '1.0.0';

/**
 * Reads a port's `spec.version` (MAJOR.MINOR.PATCH, `1.0.0` when absent);
 * undefined when it is not one.
 */
export function parseContractVersion(
  value: unknown = DEFAULT_CONTRACT_VERSION,
): ContractVersion | undefined {
  const match =
    typeof value === 'string' &&
    /^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$/.exec(
      value,
    );
  if (!match) {
    return undefined;
  }
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
  };
}

/** What `POST /api/data-products/plans` answers: a change planned, not applied. */
export interface DataProductPlan {
  product: string;
  schema: string;
  /** What the plan changes in the product's ports, breaking or not, and who reads them. */
  diff: DataProductPlanDiff;
  /** The steps `apply` would take, in words (empty when the plan would not run). */
  steps: Array<{ id: string; description: string }>;
  /**
   * Why the plan would not run: a breaking change refused, or a check of
   * the dry run that failed (a model, a contract). Absent when it would run.
   */
  problem?: { name: string; message: string };
}
