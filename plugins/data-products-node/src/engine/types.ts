import type {
  DataProductEntityV1alpha1,
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

/** One step of a plan, in words and in SQL. */
export interface PlanStep {
  /** What the step does, in words. */
  description: string;
  /** The SQL it runs (the model SQL compiled, identifiers quoted). */
  sql: string[];
}

/** The ordered steps `apply` would take. Empty `steps` means nothing to do. */
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
