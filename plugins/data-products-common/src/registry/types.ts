import type { DataProductEntityV1alpha1 } from '../DataProductEntityV1alpha1';
import type { OutputPortEntityV1alpha1 } from '../OutputPortEntityV1alpha1';

/**
 * Whether the warehouse held the product (its schema, made by the portal for
 * it) when it was last registered: read from the warehouse, never sent.
 */
export type DataProductRegistryStatus = 'provisioned' | 'not-provisioned';

/** What registering a data product sends: the body of `PUT /registry/products/:name`. */
export interface DataProductRegistration {
  /** The DataProduct entity; its `metadata.name` is the name it is registered under. */
  product: DataProductEntityV1alpha1;
  /** Its OutputPort entities (at least one), each named `outputPortEntityName(product, port)`. */
  ports: OutputPortEntityV1alpha1[];
}

/** A self-service data product as the registry holds and serves it. */
export interface RegisteredDataProduct {
  /** The DataProduct entity. */
  product: DataProductEntityV1alpha1;
  /** Its OutputPort entities. */
  ports: OutputPortEntityV1alpha1[];
  status: DataProductRegistryStatus;
  /** Why the warehouse does not show the product provisioned (only with status `not-provisioned`). */
  error?: string;
  /** Who registered the product last: a user entity ref, or a service's subject. */
  registeredBy?: string;
  /** ISO timestamp of the first registration. */
  createdAt: string;
  /** ISO timestamp of the last change. */
  updatedAt: string;
}

/** The body of `GET /registry/products`: every registered product, by name. */
export interface RegisteredDataProductList {
  items: RegisteredDataProduct[];
  /**
   * The position in the registry's change feed that `items` reflect, read in
   * the same database snapshot: `GET /registry/changes?after=<cursor>` gives
   * every change made since, and none that `items` already hold.
   */
  cursor: number;
}

/** The outcome of registering a product: the stored product, and whether it is new. */
export interface DataProductRegistrationResult {
  /** True for a first registration (HTTP 201), false for an update (200). */
  created: boolean;
  item: RegisteredDataProduct;
}

/**
 * The most products one `POST /registry/products` registers; more are
 * refused with a 400 that says to send them in batches of this size.
 */
export const DATA_PRODUCT_REGISTRY_BATCH_MAX_ITEMS = 100;

/**
 * What registering many data products at once sends: the body of
 * `POST /registry/products`, 1 to `DATA_PRODUCT_REGISTRY_BATCH_MAX_ITEMS`
 * registrations with distinct product names. All are registered, or none.
 */
export interface DataProductRegistrationBatch {
  items: DataProductRegistration[];
}

/** The answer to `POST /registry/products`: each registration's outcome, in the order sent. */
export interface DataProductRegistrationBatchResult {
  items: DataProductRegistrationResult[];
}
