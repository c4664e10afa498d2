import type {
  DataProductEntityV1alpha1,
  DataProductPlanDiff,
  OutputPortEntityV1alpha1,
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
}

/**
 * The ordered steps `apply` would take, exactly as its runner executes them.
 * Empty `steps` means nothing to do.
 */
export interface ProvisionPlan {
  product: string;
  schema: string;
  steps: PlanStep[];
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
  /** What the plan changes in the product's output ports, breaking or not, and who reads them. */
  diff?: DataProductPlanDiff;
