import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { HistoryRecorder } from '../history';
import type { AccessNotifier } from './AccessNotifier';
import { type AccessRequestStore, toAccessRequest } from './AccessRequestStore';
import {
  type AccessWarehouse,
  describeChange,
  warehouseGrant,
} from './warehouseGrant';

/** The id of the scheduled task that ends access at its end date. */
export const ACCESS_EXPIRY_TASK_ID = 'data-products-access-expiry';

/** How long before access ends its requester and owners are reminded. */
export const EXPIRY_REMINDER_DAYS = 7;

/** The actor of scheduled work in the History: the plugin itself. */
export const PLUGIN_ACTOR = 'plugin:data-products';

/** Thrown inside a transition when the request was revoked or extended meanwhile. */
class NoLongerDue extends Error {}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 5 },
};

/**
 * The expiry task's schedule: `dataProducts.access.expiry.schedule` (a
 * Backstage task schedule, e.g. `{ frequency: { seconds: 5 } }` in tests),
 * every minute by default.
 */
export function readExpirySchedule(
  config: Config,
): SchedulerServiceTaskScheduleDefinition {
  const configured = config.getOptionalConfig(
    'dataProducts.access.expiry.schedule',
  );
  return configured
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(configured)
    : DEFAULT_SCHEDULE;
}

/**
 * Ends access at its end date: revokes each granted request whose `until`
 * has passed and records it `expired`; reminds requesters and owners
 * {@link EXPIRY_REMINDER_DAYS} days before. Runs as a global scheduled
 * task, so one backend replica at a time does the work.
 */
export class AccessExpiry {
  constructor(
    private readonly options: {
      store: AccessRequestStore;
      warehouse: AccessWarehouse;
      history: HistoryRecorder;
      notifier: AccessNotifier;
      /** The owner to notify about a request's port (its owner group). */
      ownerOf(port: string): Promise<string | undefined>;
      logger: LoggerService;
    },
  ) {}

  /** Schedules {@link AccessExpiry.run} with the scheduler, cluster-wide. */
  async schedule(
    scheduler: SchedulerService,
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): Promise<void> {
    await scheduler.scheduleTask({
      id: ACCESS_EXPIRY_TASK_ID,
      scope: 'global',
      ...schedule,
      fn: () => this.run(),
    });
  }

  /** Sends the reminders that are due, then expires the access that has ended. */
  async run(): Promise<void> {
    const now = new Date();
    await this.remind(now);
    for (const id of await this.options.store.dueForExpiry(now)) {
      await this.expire(id, now);
    }
  }

  private async remind(now: Date): Promise<void> {
    const before = new Date(
      now.getTime() + EXPIRY_REMINDER_DAYS * 24 * 60 * 60 * 1000,
    );
    for (const request of await this.options.store.claimReminders(before)) {
      const owner = await this.options.ownerOf(request.port);
      await this.options.notifier.expiring(
        toAccessRequest(request),
        owner ?? request.product,
      );
    }
  }

  /**
   * Revokes one request's access under its row lock, unless it was revoked
   * (or its end date moved) meanwhile. A failed REVOKE leaves it `granted`,
   * records the failure and is tried again on the next run.
   */
  private async expire(id: string, now: Date): Promise<void> {
    const { store, warehouse, history, notifier, logger } = this.options;
    try {
      const expired = await store.transition(id, async current => {
        if (
          current.status !== 'granted' ||
          !current.until ||
          Date.parse(current.until) > now.getTime()
        ) {
          throw new NoLongerDue();
        }
        const result = await warehouse.revoke(warehouseGrant(current));
        return {
          status: 'expired',
          outcome: describeChange('revoke', result),
        };
      });
      await history.record({
        actor: PLUGIN_ACTOR,
        action: 'expire',
        product: expired.product,
        port: expired.port,
        consumer: expired.consumer,
        outcome: 'succeeded',
        detail: `Access ended on ${expired.until}. ${expired.outcome}`,
      });
      const owner = await this.options.ownerOf(expired.port);
      await notifier.expired(
        toAccessRequest(expired),
        owner ?? expired.product,
      );
    } catch (error) {
      if (error instanceof NoLongerDue) {
        return;
      }
      const request = await store.get(id);
      await store.setOutcome(id, (error as Error).message);
      await history.record(
        {
          actor: PLUGIN_ACTOR,
          action: 'expire',
          product: request.product,
          port: request.port,
          consumer: request.consumer,
          outcome: 'failed',
        },
        error as Error,
      );
      logger.error(
        `Could not end ${request.consumer}'s access to ${request.port} (access request ${id}); trying again on the next run`,
        error as Error,
      );
    }
  }
}
