import type {
  DataProductEntityV1alpha1,
  DataProductPlanDiff,
  OutputPortEntityV1alpha1,
  OutputPortQualityOperator,
  OutputPortType,
} from '@dataproducts/plugin-data-products-common';

/**
 * One declared input of a consumer-aligned product, resolved from its
 * OutputPort entity ref to the product and port it names.
 */
export interface ResolvedInput {
  /** The entity ref as declared in `spec.inputs`, e.g. `outputport:default/sales-crm-customers-customers`. */
  ref: string;
  /** The entity name of the data product the port belongs to. */
  product: string;
  /** The port name (`spec.name` of the OutputPort). */
  port: string;
}

/** What `plan` and `apply` need: a product, its ports and its resolved inputs. */
export interface ProvisionRequest {
  product: DataProductEntityV1alpha1;
  ports: OutputPortEntityV1alpha1[];
  /** The product's declared inputs that are output ports of other products. */
  inputs?: ResolvedInput[];
}

/** One SQL statement of a plan step. */
export interface PlanStatement {
  /** The statement, exactly as it runs. */
  sql: string;
  /**
   * The role it runs as (`SET LOCAL ROLE`); absent when it runs as the
   * engine's own user.
   */
  role?: string;
}

/**
 * A check made between two statements of a step: the columns of an object
 * the step has just built must be exactly the declared ones, else the run
 * fails and nothing of it stays.
 */
export interface PlanCheck {
  /** Index of the statement after which the check runs. */
  after: number;
  /** What is checked, in words. */
  description: string;
  /** The product and port the object is built for. */
  product: string;
  port: string;
  /** The object whose columns are read from `pg_attribute`. */
  relation: { schema: string; name: string };
  /** The declared columns (types as PostgreSQL's `format_type()` spells them). */
  columns: Array<{ name: string; type: string }>;
}

/** Where a quality check reads a number: a column of the first row of one of its statements. */
export interface QualityValueSource {
  /** Index into the check's `statements`. */
  statement: number;
  /** The result column; `*` for a custom rule's only column. */
  column: string;
}

/**
 * One thing a quality check measures: a declared constraint of a column
 * (`required`, `unique`, `primaryKey`: the count of NULLs or duplicates
 * must be 0) or a quality rule of the port (`spec.quality[]`).
 */
export interface QualityMeasure {
  /** Stable within the port: `primaryKey_id`, or the rule's name. */
  key: string;
  kind: 'constraint' | 'rule';
  /** Constraints: which one. */
  constraint?: 'required' | 'unique' | 'primaryKey';
  /** Rules: where the rule is declared, `spec.quality[2]`. */
  field?: string;
  metric?: string;
  column?: string;
  description: string;
  severity: 'error' | 'warning';
  /** `rows`, `percent` (of the row count) or `seconds` (freshness). */
  unit: 'rows' | 'percent' | 'seconds';
  operator: OutputPortQualityOperator;
  threshold: number | [number, number];
  source: QualityValueSource;
  /** Run only when the measure fails: up to five keys that show the failure. */
  examples?: { sql: string; key: string };
}

/**
 * A check made after the statements that measure a step's new rows: every
 * declared constraint and quality rule is compared with what they
 * measured; an error-severity failure fails the run (nothing of it stays)
 * and warnings are recorded. The results of every build are recorded.
 */
export interface PlanQualityCheck {
  /** Index of the statement after which the check runs (the last measuring one). */
  after: number;
  /** Indexes of the step's statements whose first rows the check reads. */
  statements: number[];
  description: string;
  product: string;
  port: string;
  /** Where the new relation's row count is read. */
  rowCount: QualityValueSource;
  measures: QualityMeasure[];
}

/**
 * One step of a plan: what it does in words, the statements it runs in
 * order, and the checks made between them.
 */
export interface PlanStep {
  /** Stable within a plan, e.g. `build:customers`. */
  id: string;
  /** What the step does, in words. */
  description: string;
  statements: PlanStatement[];
  checks?: PlanCheck[];
  /** The checks of a built port's rows: constraints and quality rules. */
  qualityChecks?: PlanQualityCheck[];
}

/**
 * The ordered steps `apply` would take, exactly as its runner executes them.
 * Empty `steps` means nothing to do.
 */
export interface ProvisionPlan {
  product: string;
  schema: string;
  steps: PlanStep[];
  /** What the plan changes in the product's output ports, breaking or not, and who reads them. */
  diff?: DataProductPlanDiff;
}

/** One port after `apply` or `refresh`. */
export interface PortResult {
  name: string;
  /** `schema.port` */
  object: string;
  type: OutputPortType;
  /** Rows in the port after the run. */
  rowCount: number;
  /** True when this run (re)built the port. */
  built: boolean;
}

/** The result of `apply`. */
export interface ApplyResult {
  product: string;
  schema: string;
  /** The steps taken (empty when the product was already up to date). */
  plan: ProvisionPlan;
  ports: PortResult[];
}

/** The result of `decommission`. */
export interface DecommissionResult {
  product: string;
  schema: string;
  /** False when there was nothing to decommission. */
  removed: boolean;
  /** Consumers whose grants were dropped (only with `force`). */
  droppedConsumers: string[];
}
