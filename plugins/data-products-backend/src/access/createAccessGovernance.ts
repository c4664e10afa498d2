import type {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { WarehouseService } from '@dataproducts/plugin-data-products-node';
import express from 'express';
import type { Knex } from 'knex';
import { createHistoryRouter, HistoryRecorder, HistoryStore } from '../history';
import { AccessCatalog } from './AccessCatalog';
import { AccessExpiry } from './AccessExpiry';
import { AccessNotifier } from './AccessNotifier';
import { AccessRequestStore } from './AccessRequestStore';
import { AccessService } from './AccessService';
import { AccessViews } from './AccessViews';
import { createAccessRouter } from './createAccessRouter';

/**
 * Access governance, wired: the access and history routes, the History
 * recorder (for other parts of the plugin that change products) and the
 * expiry task, on the plugin's database.
 */
export function createAccessGovernance(options: {
  knex: Knex;
  catalog: CatalogService;
  warehouse: WarehouseService;
  permissions: PermissionsService;
  auditor: AuditorService;
  notifications: NotificationService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
}): { router: express.Router; history: HistoryRecorder; expiry: AccessExpiry } {
  const { knex, warehouse, permissions, auth, httpAuth, logger } = options;
  const store = new AccessRequestStore(knex);
  const catalog = new AccessCatalog(options.catalog);
  const history = new HistoryRecorder({
    store: new HistoryStore(knex),
    auditor: options.auditor,
  });
  const notifier = new AccessNotifier({
    notifications: options.notifications,
    logger,
  });
  const access = new AccessService({
    store,
    catalog,
    warehouse,
    permissions,
    history,
    notifier,
  });
  const views = new AccessViews({ store, catalog, warehouse });
  const expiry = new AccessExpiry({
    store,
    warehouse,
    history,
    notifier,
    logger,
    ownerOf: async port => {
      const credentials = await auth.getOwnServiceCredentials();
      try {
        return (await catalog.port(port, credentials)).owner;
      } catch (error) {
        // A port that left the catalog: its product's owner is notified.
        if (isError(error) && error.name === 'NotFoundError') {
          return undefined;
        }
        throw error;
      }
    },
  });
  const router = express.Router();
  router.use(createAccessRouter({ access, views, httpAuth }));
  router.use(createHistoryRouter({ history, httpAuth }));
  return { router, history, expiry };
}
