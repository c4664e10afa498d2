import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { type HumanDuration, durationToMilliseconds } from '@backstage/types';
import type { RetrySettings } from './RefreshService';

type Duration = HumanDuration;

/** The refresh settings, `dataProducts.refresh` (see config.d.ts). */
export interface RefreshConfig {
  /** Whether ports' schedules run in this backend; routes work either way. */
  enabled: boolean;
  /** How often this replica reads the catalog to bring its refresh tasks in step. */
  reconcileFrequency: Duration;
  /** How often the freshness of every port is checked (one replica at a time). */
  checkFrequency: Duration;
  /** How long one scheduled refresh, retries included, may run. */
  timeout: Duration;
  retry: RetrySettings;
}

function readDuration(
  config: Config,
  key: string,
  fallback: Duration,
): Duration {
  return config.has(key) ? readDurationFromConfig(config, { key }) : fallback;
}

/** Reads `dataProducts.refresh`, each setting's default when absent. */
export function readRefreshConfig(root: Config): RefreshConfig {
  const config = root.getOptionalConfig('dataProducts.refresh');
  const read = (key: string, fallback: Duration) =>
    config ? readDuration(config, key, fallback) : fallback;
  const attempts = config?.getOptionalNumber('retry.attempts') ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10) {
    throw new InputError(
      `Invalid dataProducts.refresh.retry.attempts ${attempts}: give a whole number from 1 (no retry) to 10`,
    );
  }
  const reconcileFrequency = read('reconcileFrequency', { minutes: 1 });
  const checkFrequency = read('freshnessCheckFrequency', { minutes: 1 });
  for (const [key, value] of [
    ['reconcileFrequency', reconcileFrequency],
    ['freshnessCheckFrequency', checkFrequency],
  ] as const) {
    if (durationToMilliseconds(value) < 1000) {
      throw new InputError(
        `Invalid dataProducts.refresh.${key}: it must be at least 1 second`,
      );
    }
  }
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? true,
    reconcileFrequency,
    checkFrequency,
    timeout: read('timeout', { minutes: 30 }),
    retry: {
      attempts,
      backoffMs: durationToMilliseconds(read('retry.backoff', { seconds: 5 })),
    },
  };
}
