/**
 * How current a port's data is:
 * - `fresh`: a table port built successfully less than its
 *   `spec.refresh.freshness.maxAge` ago; a view whose inputs are all fresh
 *   (a view over operational tables is live, so fresh);
 * - `stale`: a table port whose last successful build is older than its
 *   maxAge (or that was never built); a view with a stale input;
 * - `failing`: a table port whose last refresh failed (after its retries);
 *   a view with a failing input;
 * - `unknown`: a table port without `spec.refresh.freshness` whose last
 *   refresh did not fail, or a view none of whose inputs has a known state.
 */
export type FreshnessState = 'fresh' | 'stale' | 'failing' | 'unknown';

/** Every freshness state, from the best to the worst; `unknown` is not ranked. */
export const FRESHNESS_STATES: readonly FreshnessState[] = [
  'fresh',
  'stale',
  'failing',
  'unknown',
];

/** What started a refresh: its schedule, "Refresh now" in the portal, or the `dataproduct:refresh` action. */
export type RefreshTrigger = 'schedule' | 'manual' | 'action';

/**
 * How one attempt of a refresh ended: `running` while it runs; `retrying`
 * when it failed for a transient reason and is tried again.
 */
export type RefreshOutcome = 'running' | 'succeeded' | 'failed' | 'retrying';

/** One attempt at refreshing a table port, as the portal recorded it. */
export interface RefreshRun {
  id: string;
  /** The DataProduct's entity ref. */
  product: string;
  /** The OutputPort's entity ref. */
  port: string;
  trigger: RefreshTrigger;
  /** Who asked for a manual refresh; the plugin for scheduled ones. */
  actor: string;
  /** 1 for the first attempt of a refresh, 2 for its first retry, ... */
  attempt: number;
  startedAt: string;
  finishedAt?: string;
  outcome: RefreshOutcome;
  /** Rows in the port after a successful attempt. */
  rows?: number;
  /** Why the attempt failed. */
  error?: string;
}

/** How current one output port's data is, and why. */
export interface PortFreshness {
  /** The OutputPort's entity ref. */
  port: string;
  /** The DataProduct's entity ref. */
  product: string;
  /** The port name in the warehouse (`spec.name`). */
  name: string;
  type: 'postgres-table' | 'postgres-view';
  state: FreshnessState;
  /** One sentence that says why, e.g. `Last built 3 h ago; fresh for PT24H`. */
  reason: string;
  /** ISO timestamp of the last successful build (tables). */
  lastSuccessAt?: string;
  /** `spec.refresh.freshness.maxAge` (tables). */
  maxAge?: string;
  /** `spec.refresh.schedule` in words: `every PT1H` or `cron 0 * * * *`. */
  schedule?: string;
  /** Refreshes that failed one after the other, most recent first. */
  consecutiveFailures: number;
  /** Views: the input ports whose freshness this one is derived from. */
  inputs?: string[];
  /** The most recent refresh attempts, newest first (single-port answers only). */
  runs?: RefreshRun[];
}

/** How current a data product's ports are: the worst known state of its ports. */
export interface ProductFreshness {
  /** The DataProduct's entity ref. */
  product: string;
  state: FreshnessState;
  ports: PortFreshness[];
}

/**
 * The worse of two states: failing over stale over fresh; `unknown` only
 * when neither is known.
 */
export function worseFreshness(
  a: FreshnessState,
  b: FreshnessState,
): FreshnessState {
  if (a === 'unknown') return b;
  if (b === 'unknown') return a;
  return FRESHNESS_STATES.indexOf(a) >= FRESHNESS_STATES.indexOf(b) ? a : b;
}
