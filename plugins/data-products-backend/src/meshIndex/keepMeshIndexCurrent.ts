import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type LifecycleService,
  type LoggerService,
  type SchedulerService,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  DATA_PRODUCT_REGISTRY_TOPIC,
  type DataProductRegistryEventPayload,
} from '@dataproducts/plugin-data-products-common';
import type { MeshIndexSync } from './MeshIndexSync';
import { RegistryIndexQueue } from './RegistryIndexQueue';

/** The id of the scheduled task that reconciles the mesh index. */
export const MESH_RECONCILE_TASK_ID = 'data-products-mesh-index-reconcile';

/** The config key of the reconcile's schedule. */
export const MESH_RECONCILE_SCHEDULE_KEY = 'dataProducts.meshIndex.schedule';

/** By default: every 5 minutes, on one replica at a time. */
export const DEFAULT_MESH_RECONCILE_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 10 },
  };

/** The reconcile's schedule from `dataProducts.meshIndex.schedule`, or the default. */
export function readMeshIndexSchedule(
  config: Config,
): SchedulerServiceTaskScheduleDefinition {
  const configured = config.getOptionalConfig(MESH_RECONCILE_SCHEDULE_KEY);
  return configured
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(configured)
    : DEFAULT_MESH_RECONCILE_SCHEDULE;
}

function isRegistryEvent(
  payload: unknown,
): payload is DataProductRegistryEventPayload {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof (payload as { name?: unknown }).name === 'string'
  );
}

/**
 * Keeps the mesh index current: re-indexes a registry product after each
 * event of the registry's topic, in the background (the registration that
 * published the event does not wait for the index; names are coalesced and
 * indexed up to a hundred at a time), and reconciles the whole index in a global
 * scheduled task (one replica at a time), also right after start-up. A
 * registry change whose event was lost or whose indexing failed (a crash
 * between the registry's commit and the index's update) is healed by the
 * next reconcile. Returns the queue of products waiting to be indexed.
 */
export async function keepMeshIndexCurrent(options: {
  sync: MeshIndexSync;
  events: EventsService;
  scheduler: SchedulerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  lifecycle: LifecycleService;
  logger: LoggerService;
}): Promise<RegistryIndexQueue> {
  const { sync, events, scheduler, schedule, lifecycle, logger } = options;
  const queue = new RegistryIndexQueue({
    index: names => sync.indexRegistryProducts(names),
    logger,
  });
  await events.subscribe({
    id: 'mesh-index',
    topics: [DATA_PRODUCT_REGISTRY_TOPIC],
    onEvent: async ({ eventPayload }) => {
      if (!isRegistryEvent(eventPayload)) {
        logger.warn(
          `Ignored an event on ${DATA_PRODUCT_REGISTRY_TOPIC} without a product name: ${JSON.stringify(
            eventPayload,
          )}`,
        );
        return;
      }
      queue.enqueue(eventPayload.name);
    },
  });
  await scheduler.scheduleTask({
    id: MESH_RECONCILE_TASK_ID,
    ...schedule,
    scope: 'global',
    fn: async () => {
      const summary = await sync.reconcile();
      if (summary.unchanged) {
        logger.debug(
          'Mesh index reconcile: the registry and the catalog are unchanged since the last one',
        );
        return;
      }
      logger.info(
        `Mesh index reconciled: ${summary.registryProducts} registry products, ${summary.catalogNodes} catalog entities, ${summary.removed} removed`,
      );
    },
  });
  // Also once at start-up, whatever the last run's time: catalog changes
  // made while no replica ran are picked up at once.
  lifecycle.addStartupHook(async () => {
    try {
      await scheduler.triggerTask(MESH_RECONCILE_TASK_ID);
    } catch (error) {
      // Already running on some replica: that run does it.
      if ((error as Error).name !== 'ConflictError') throw error;
    }
  });
  return queue;
}
