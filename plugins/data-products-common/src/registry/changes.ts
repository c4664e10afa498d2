import type { RegisteredDataProduct } from './types';

/**
 * The events topic on which the data-products backend announces every
 * committed registry change (through Backstage's events service), with a
 * {@link DataProductRegistryEventPayload}.
 */
export const DATA_PRODUCT_REGISTRY_TOPIC = 'data-products.registry';

/** What a registry change did to a product: registered (or re-registered) it, or removed it. */
export type DataProductRegistryChangeOp = 'upsert' | 'delete';

/** The `eventPayload` of an event on {@link DATA_PRODUCT_REGISTRY_TOPIC}. */
export interface DataProductRegistryEventPayload {
  /** The change's position in the registry's change feed. */
  id: number;
  /** The product's entity name. */
  name: string;
  op: DataProductRegistryChangeOp;
}

/** One change of the registry's change feed. */
export interface DataProductRegistryChange
  extends DataProductRegistryEventPayload {
  /** ISO timestamp of the change. */
  changedAt: string;
}

/** The largest page `GET /registry/changes` answers (`limit`). */
export const DATA_PRODUCT_REGISTRY_CHANGES_MAX_LIMIT = 500;

/** The page size of `GET /registry/changes` without `limit`. */
export const DATA_PRODUCT_REGISTRY_CHANGES_DEFAULT_LIMIT = 100;

/**
 * The body of `GET /registry/changes?after=<cursor>&limit=<n>`: the changes
 * after the cursor, oldest first, and the current registration of every
 * product they upserted that is still registered.
 *
 * A client keeps `cursor` and asks again with it (at once while `more` is
 * true). When `stale` is true its cursor lies outside the changes the
 * registry keeps (older than the oldest kept change, or from another
 * database): some changes are gone, so it must read the whole registry again
 * (`GET /registry/products`, whose `cursor` it continues from).
 */
export interface DataProductRegistryChangePage {
  changes: DataProductRegistryChange[];
  /**
   * The current registration of each product upserted by `changes` and
   * still registered, once per product. A product upserted and then deleted
   * has none: a later change (in this page or the next) deletes it.
   */
  items: RegisteredDataProduct[];
  /** Where to continue from: the last change's `id`, or the given cursor when there is none. */
  cursor: number;
  /** Whether more changes follow (the page was cut at `limit`). */
  more: boolean;
  /** Whether the cursor is too old (or unknown) to continue from: read the whole registry again. */
  stale: boolean;
}
