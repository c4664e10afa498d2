import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { DataProductEntityV1alpha1 } from '@dataproducts/plugin-data-products-common';

/** The bounds every build runs within, read from `dataProducts.warehouse`. */
export interface BuildLimits {
  /**
   * How long one statement of a build may run (`statement_timeout`), in
   * milliseconds, unless the product's annotation asks for another value.
   */
  buildTimeoutMs: number;
  /** The longest build timeout a product's annotation may ask for, in milliseconds. */
  maxBuildTimeoutMs: number;
  /** How long a run waits for any one lock (`lock_timeout`), in milliseconds. */
  lockTimeoutMs: number;
  /** How long `inspect` may spend counting the rows of one view port, in milliseconds. */
  statusTimeoutMs: number;
  /** Builds (apply, refresh, plan, model checks) that run at once; more wait their turn. */
  maxConcurrentBuilds: number;
}

/** The defaults of {@link BuildLimits}. */
export const DEFAULT_BUILD_LIMITS: Readonly<BuildLimits> = {
  buildTimeoutMs: 15 * 60_000,
  maxBuildTimeoutMs: 60 * 60_000,
  lockTimeoutMs: 30_000,
  statusTimeoutMs: 10_000,
  maxConcurrentBuilds: 4,
};

/** The DataProduct annotation that gives one product a build timeout of its own. */
export const BUILD_TIMEOUT_ANNOTATION = 'dataproducts.io/build-timeout';

/** PostgreSQL's timeouts are `int` milliseconds. */
const MAX_TIMEOUT_MS = 2_147_483_647;

const TIMEOUT_KEYS = {
  buildTimeoutMs: 'buildTimeout',
  maxBuildTimeoutMs: 'maxBuildTimeout',
  lockTimeoutMs: 'lockTimeout',
  statusTimeoutMs: 'statusTimeout',
} as const;

/** Milliseconds of a duration read by `readDurationFromConfig` (a month is 30 days, a year 365). */
function toMilliseconds(duration: ReturnType<typeof readDurationFromConfig>) {
  const days =
    (duration.years ?? 0) * 365 +
    (duration.months ?? 0) * 30 +
    (duration.weeks ?? 0) * 7 +
    (duration.days ?? 0);
  const minutes = (days * 24 + (duration.hours ?? 0)) * 60;
  const seconds = (minutes + (duration.minutes ?? 0)) * 60;
  return (
    (seconds + (duration.seconds ?? 0)) * 1000 + (duration.milliseconds ?? 0)
  );
}

/** `15 min`, `1 h 30 min`, `30 s`, `250 ms`: a duration as messages show it. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) {
    parts.push(`${rest} ms`);
  }
  return parts.join(' ');
}

function checkTimeout(ms: number, what: string): number {
  if (!Number.isFinite(ms) || ms < 1 || ms > MAX_TIMEOUT_MS) {
    throw new InputError(
      `Invalid ${what} ${JSON.stringify(
        ms,
      )} ms: must be at least 1 ms and at most ${formatDuration(
        MAX_TIMEOUT_MS,
      )} (PostgreSQL's limit); a timeout of 0 would mean none`,
    );
  }
  return Math.round(ms);
}

/**
 * Completes and validates limits given in part: every timeout positive and
 * within PostgreSQL's range, the build timeout no longer than the maximum.
 */
export function checkBuildLimits(
  limits: Partial<BuildLimits> = {},
): BuildLimits {
  const merged = { ...DEFAULT_BUILD_LIMITS, ...limits };
  for (const [field, key] of Object.entries(TIMEOUT_KEYS)) {
    checkTimeout(
      merged[field as keyof typeof TIMEOUT_KEYS],
      `dataProducts.warehouse.${key}`,
    );
  }
  if (merged.buildTimeoutMs > merged.maxBuildTimeoutMs) {
    throw new InputError(
      `dataProducts.warehouse.buildTimeout (${formatDuration(
        merged.buildTimeoutMs,
      )}) is longer than dataProducts.warehouse.maxBuildTimeout (${formatDuration(
        merged.maxBuildTimeoutMs,
      )}): lower the first or raise the second`,
    );
  }
  if (
    !Number.isInteger(merged.maxConcurrentBuilds) ||
    merged.maxConcurrentBuilds < 1
  ) {
    throw new InputError(
      `Invalid dataProducts.warehouse.maxConcurrentBuilds ${JSON.stringify(
        merged.maxConcurrentBuilds,
      )}: must be a whole number of at least 1`,
    );
  }
  return merged;
}

/**
 * Reads the build limits from `dataProducts.warehouse`: durations as ISO 8601
 * (`PT15M`), `ms`-style strings (`15m`) or objects (`{ minutes: 15 }`).
 */
export function readBuildLimits(config: Config): BuildLimits {
  const warehouse = config.getOptionalConfig('dataProducts.warehouse');
  const limits: Partial<BuildLimits> = {};
  for (const [field, key] of Object.entries(TIMEOUT_KEYS)) {
    if (warehouse?.has(key)) {
      limits[field as keyof typeof TIMEOUT_KEYS] = toMilliseconds(
        readDurationFromConfig(warehouse, { key }),
      );
    }
  }
  const concurrent = warehouse?.getOptionalNumber('maxConcurrentBuilds');
  if (concurrent !== undefined) {
    limits.maxConcurrentBuilds = concurrent;
  }
  return checkBuildLimits(limits);
}

/**
 * The build timeout a DataProduct asks for with its
 * `dataproducts.io/build-timeout` annotation, in milliseconds; undefined
 * without one. Refuses a value that is no duration, or longer than the
 * maximum, with an `InputError` naming both.
 */
export function annotatedBuildTimeout(
  product: DataProductEntityV1alpha1,
  limits: BuildLimits,
): number | undefined {
  const value = product.metadata.annotations?.[BUILD_TIMEOUT_ANNOTATION];
  if (value === undefined) {
    return undefined;
  }
  const where = `annotation ${BUILD_TIMEOUT_ANNOTATION} of data product '${product.metadata.name}'`;
  let ms: number;
  try {
    ms = toMilliseconds(
      readDurationFromConfig(new ConfigReader({ value }), { key: 'value' }),
    );
  } catch {
    throw new InputError(
      `Invalid ${where} ${JSON.stringify(
        value,
      )}: write a duration such as PT30M (ISO 8601) or 30m`,
    );
  }
  if (ms < 1) {
    throw new InputError(
      `Invalid ${where} ${JSON.stringify(
        value,
      )}: a build timeout must be longer than 0`,
    );
  }
  if (ms > limits.maxBuildTimeoutMs) {
    throw new InputError(
      `The ${where} asks for ${JSON.stringify(value)} (${formatDuration(
        ms,
      )}), more than the maximum build timeout of ${formatDuration(
        limits.maxBuildTimeoutMs,
      )} (dataProducts.warehouse.maxBuildTimeout): ask for at most ${formatDuration(
        limits.maxBuildTimeoutMs,
      )}, or have an operator raise the maximum`,
    );
  }
  return ms;
}
