import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { scheduleFrequency } from './policy';
import type { RefreshCatalog, RefreshTarget } from './RefreshCatalog';
import type { RefreshConfig } from './readRefreshConfig';
import type { RefreshService } from './RefreshService';

/** The id of the task that keeps this replica's refresh tasks in step with the catalog. */
export const REFRESH_RECONCILE_TASK_ID = 'data-products-refresh-reconcile';

/** The id of the task that checks every port's freshness. */
export const FRESHNESS_CHECK_TASK_ID = 'data-products-freshness-check';

/** The scheduler task id of one port's refresh. */
export function refreshTaskId(portRef: string): string {
  return `data-products-refresh:${portRef}`;
}

interface ScheduledRefresh {
  /** The schedule the task was made with, to tell when it changed. */
  schedule: string;
  /** Stops the task's worker in this replica. */
  stop: AbortController;
  /** The port as the last reconcile read it. */
  target: RefreshTarget;
}

/**
 * Runs each table port's refresh on its `spec.refresh.schedule` with
 * Backstage's SchedulerService: one global task per port (so one replica at
 * a time runs it; the schedule lives in the scheduler's table, so it
 * survives restarts), kept in step with the catalog by a local task on every
 * replica that adds, changes and stops tasks as ports come, change and go.
 * A global task checks every port's freshness.
 */
export class RefreshScheduler {
  private readonly tasks = new Map<string, ScheduledRefresh>();

  constructor(
    private readonly options: {
      scheduler: SchedulerService;
      catalog: RefreshCatalog;
      service: RefreshService;
      config: RefreshConfig;
      logger: LoggerService;
    },
  ) {}

  /** Schedules the reconcile task (this replica) and the freshness check (cluster-wide). */
  async start(): Promise<void> {
    const { scheduler, service, config } = this.options;
    await scheduler.scheduleTask({
      id: REFRESH_RECONCILE_TASK_ID,
      scope: 'local',
      frequency: config.reconcileFrequency,
      timeout: { minutes: 5 },
      fn: () => this.reconcile(),
    });
    await scheduler.scheduleTask({
      id: FRESHNESS_CHECK_TASK_ID,
      scope: 'global',
      frequency: config.checkFrequency,
      timeout: { minutes: 5 },
      fn: async () => {
        await service.checkFreshness();
      },
    });
  }

  /** The ports whose refresh this replica has a task for, by port ref. */
  scheduled(): string[] {
    return [...this.tasks.keys()].sort();
  }

  /**
   * Brings this replica's refresh tasks in step with the catalog: a task for
   * each table port with a schedule, made again when its schedule changed,
   * stopped when the port left the catalog or lost its schedule.
   */
  async reconcile(): Promise<void> {
    const { catalog, logger } = this.options;
    const targets = await catalog.targets();
    for (const [ref, task] of this.tasks) {
      const target = targets.get(ref);
      if (!target || !this.wanted(target)) {
        task.stop.abort();
        this.tasks.delete(ref);
        logger.info(`Stopped the scheduled refresh of ${ref}`);
      }
    }
    for (const target of targets.values()) {
      if (!this.wanted(target)) {
        continue;
      }
      const schedule = JSON.stringify(target.policy!.schedule);
      const current = this.tasks.get(target.port);
      if (current?.schedule === schedule) {
        current.target = target;
        continue;
      }
      current?.stop.abort();
      this.tasks.delete(target.port);
      try {
        await this.schedule(target, schedule);
      } catch (error) {
        logger.warn(
          `Could not schedule the refresh of ${
            target.port
          } (spec.refresh.schedule ${schedule}): ${
            (error as Error).message
          }. Give a five-field cron expression or { every: <ISO 8601 duration> }.`,
        );
      }
    }
  }

  private wanted(target: RefreshTarget): boolean {
    return (
      target.type === 'postgres-table' && target.policy?.schedule !== undefined
    );
  }

  private async schedule(target: RefreshTarget, schedule: string) {
    const { scheduler, service, config } = this.options;
    const frequency = scheduleFrequency(target.policy)!;
    const stop = new AbortController();
    const task: ScheduledRefresh = { schedule, stop, target };
    await scheduler.scheduleTask({
      id: refreshTaskId(target.port),
      scope: 'global',
      frequency,
      timeout: config.timeout,
      signal: stop.signal,
      // The port as the latest reconcile read it, not as it was scheduled.
      fn: async signal => {
        await service.runScheduled(task.target, signal);
      },
    });
    this.tasks.set(target.port, task);
  }

  /** Stops every refresh task of this replica (the backend is stopping). */
  stop(): void {
    for (const task of this.tasks.values()) {
      task.stop.abort();
    }
    this.tasks.clear();
  }
}
