import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { type HumanDuration, durationToMilliseconds } from '@backstage/types';
import type { RegistryStore } from './RegistryStore';

const RETENTION_KEY = 'dataProducts.registry.changes.retention';

/** How long the change feed keeps a change by default: one day. */
export const DEFAULT_REGISTRY_CHANGE_RETENTION: HumanDuration = { days: 1 };

/**
 * Reads `dataProducts.registry.changes.retention`: how long the registry's
 * change feed keeps a change (at least 1 minute). A follower whose cursor
 * is older than that reads the whole registry again.
 */
export function readRegistryChangeRetention(config: Config): HumanDuration {
  const retention = config.has(RETENTION_KEY)
    ? readDurationFromConfig(config, { key: RETENTION_KEY })
    : DEFAULT_REGISTRY_CHANGE_RETENTION;
  if (!(durationToMilliseconds(retention) >= 60_000)) {
    throw new InputError(
      `Invalid ${RETENTION_KEY} ${JSON.stringify(
        retention,
      )}: keep changes at least 1 minute (e.g. { hours: 1 }); followers that fall further behind read the whole registry again`,
    );
  }
  return retention;
}

/**
 * Schedules the pruning of the change feed: every hour, on one replica at a
 * time, the changes older than `retention` are deleted (the newest is
 * always kept, so that followers can tell their cursor is too old).
 */
export async function scheduleRegistryChangePruning(options: {
  scheduler: SchedulerService;
  store: Pick<RegistryStore, 'pruneChanges'>;
  retention: HumanDuration;
  logger: Pick<LoggerService, 'info'>;
}): Promise<void> {
  const { scheduler, store, retention, logger } = options;
  await scheduler.scheduleTask({
    id: 'data-products-registry-changes-prune',
    scope: 'global',
    frequency: { hours: 1 },
    timeout: { minutes: 5 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const before = new Date(Date.now() - durationToMilliseconds(retention));
      const pruned = await store.pruneChanges(before);
      if (pruned > 0) {
        logger.info(
          `Pruned ${pruned} registry changes made before ${before.toISOString()}`,
        );
      }
    },
  });
}
