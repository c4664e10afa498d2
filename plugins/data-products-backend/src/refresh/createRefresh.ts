import type {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { WarehouseService } from '@dataproducts/plugin-data-products-node';
import type express from 'express';
import type { Knex } from 'knex';
import type { HistoryRecorder } from '../history';
import { createRefreshRouter } from './createRefreshRouter';
import { RefreshCatalog } from './RefreshCatalog';
import { RefreshNotifier } from './RefreshNotifier';
import { RefreshRunStore } from './RefreshRunStore';
import { RefreshScheduler } from './RefreshScheduler';
import { RefreshService } from './RefreshService';
import type { RefreshConfig } from './readRefreshConfig';

/**
 * Scheduled refresh and freshness, wired: the routes, the service and the
 * scheduler tasks (started only when `dataProducts.refresh.enabled`).
 */
export async function createRefresh(options: {
  knex: Knex;
  config: RefreshConfig;
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  warehouse: WarehouseService;
  permissions: PermissionsService;
  notifications: NotificationService;
  history: HistoryRecorder;
  scheduler: SchedulerService;
  logger: LoggerService;
}): Promise<{
  router: express.Router;
  service: RefreshService;
  scheduler: RefreshScheduler;
}> {
  const { config, logger } = options;
  const catalog = new RefreshCatalog({
    catalog: options.catalog,
    auth: options.auth,
    sharedForMs:
      Math.min(
        durationToMilliseconds(config.reconcileFrequency),
        durationToMilliseconds(config.checkFrequency),
      ) / 2,
  });
  const service = new RefreshService({
    store: new RefreshRunStore(options.knex),
    catalog,
    warehouse: options.warehouse,
    notifier: new RefreshNotifier({
      notifications: options.notifications,
      logger,
    }),
    history: options.history,
    permissions: options.permissions,
    logger,
    retry: config.retry,
  });
  const scheduler = new RefreshScheduler({
    scheduler: options.scheduler,
    catalog,
    service,
    config,
    logger,
  });
  if (config.enabled) {
    await scheduler.start();
  }
  return {
    router: createRefreshRouter({
      httpAuth: options.httpAuth,
      refresh: service,
    }),
    service,
    scheduler,
  };
}
