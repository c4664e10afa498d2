import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import Router from 'express-promise-router';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  dataProductAuthorizerServiceRef,
  readDataProductAdminGroups,
  warehouseServiceRef,
} from '@dataproducts/plugin-data-products-node';
import { createAccessGovernance, readExpirySchedule } from './access';
import {
  ContractService,
  createContractsRouter,
  readContractServer,
} from './contracts';
import { ConsumerService, createConsumersRouter } from './consumers';
import {
  ColumnLineageService,
  createColumnLineageRouter,
} from './columnLineage';
import { applyDatabaseMigrations } from './database/migrations';
import { createExploreRouter, ExploreService, ExploreStore } from './explore';
import { createMeshRouter, MeshService } from './mesh';
import { createModelCheckRouter } from './models';
import { createPlansRouter, PlanService } from './plans';
import {
  createLifecycleRouter,
  LifecycleNotifier,
  LifecycleService,
} from './lifecycle';
import { createRefresh, readRefreshConfig } from './refresh';
import { createQualityRouter, QualityService } from './quality';
import { addDataProductResourceType } from './permissions';
import { createRouter } from './router';
import {
  keepMeshIndexCurrent,
  MeshIndex,
  MeshIndexSync,
  readMeshIndexSchedule,
} from './meshIndex';
import { LineageService } from './services/LineageService';
import { StatusService } from './services/StatusService';
import {
  createRegistryRouter,
  readRegistryChangeRetention,
  RegistryService,
  RegistryStore,
  scheduleRegistryChangePruning,
} from './registry';

/**
 * The data products backend plugin: live warehouse status, lineage, the
 * self-service registry, access requests and each product's History under
 * `/api/data-products`. Its tables come from the knex migrations in the
 * package's `migrations` folder.
 *
 * @public
 */
export const dataProductsPlugin = createBackendPlugin({
  pluginId: 'data-products',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
        database: coreServices.database,
        warehouse: warehouseServiceRef,
        authorizer: dataProductAuthorizerServiceRef,
        permissionsRegistry: coreServices.permissionsRegistry,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        notifications: notificationService,
        events: eventsServiceRef,
      },
      async init({
        auth,
        config,
        httpAuth,
        httpRouter,
        catalog,
        database,
        warehouse,
        authorizer,
        permissionsRegistry,
        permissions,
        auditor,
        logger,
        scheduler,
        lifecycle,
        notifications,
        events,
      }) {
        // One router for every route, so that the error handler below serves them all.
        const router = Router();
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await applyDatabaseMigrations(knex);
        }
        // The mesh index: products, ports, sources and their edges in the
        // plugin's database, kept current from registry events and a
        // scheduled reconcile; lineage, the explorer and the mesh view read it.
        const meshIndex = new MeshIndex(knex);
        await keepMeshIndexCurrent({
          sync: new MeshIndexSync({ index: meshIndex, catalog, auth }),
          events,
          scheduler,
          schedule: readMeshIndexSchedule(config),
          lifecycle,
          logger,
        });
        router.use(
          await createRouter({
            httpAuth,
            statusService: new StatusService({ catalog, inspector: warehouse }),
            lineageService: new LineageService({
              index: meshIndex,
              catalog,
              permissions,
            }),
          }),
        );
        // Access requests, the History of every change, and access expiry.
        const governance = createAccessGovernance({
          knex,
          catalog,
          warehouse,
          permissions,
          auditor,
          notifications,
          auth,
          httpAuth,
          logger,
        });
        router.use(governance.router);
        await governance.expiry.schedule(scheduler, readExpirySchedule(config));

        // Every registration and removal is written to the change feed and
        // announced on the events service (topic data-products.registry).
        const registryStore = new RegistryStore(knex, { events, logger });
        await scheduleRegistryChangePruning({
          scheduler,
          store: registryStore,
          retention: readRegistryChangeRetention(config),
          logger,
        });
        const registry = new RegistryService({
          store: registryStore,
          warehouse,
          catalog,
          auth,
          authorizer,
          history: governance.history,
        });
        addDataProductResourceType({
          permissionsRegistry,
          adminGroups: readDataProductAdminGroups(config),
          catalog,
          auth,
          registry,
        });
        router.use(createRegistryRouter({ registry, httpAuth }));
        // Consumers, deprecation and Delete (decommission) of registered products.
        router.use(
          createLifecycleRouter({
            httpAuth,
            lifecycle: new LifecycleService({
              registry,
              store: registryStore,
              catalog,
              auth,
              warehouse,
              authorizer,
              history: governance.history,
              notifier: new LifecycleNotifier({ notifications, logger }),
            }),
          }),
        );
        router.use(
          createModelCheckRouter({ httpAuth, permissions, catalog, warehouse }),
        );
        // The plan of a change before it is applied: steps, diff, breaking changes.
        router.use(
          createPlansRouter({
            httpAuth,
            plans: new PlanService({
              catalog,
              store: new RegistryStore(knex),
              warehouse,
              permissions,
              authorizer,
            }),
          }),
        );
        // Scheduled refresh of table ports, their freshness and Refresh now.
        const refresh = await createRefresh({
          knex,
          config: readRefreshConfig(config),
          catalog,
          auth,
          httpAuth,
          warehouse,
          permissions,
          notifications,
          history: governance.history,
          scheduler,
          logger,
        });
        router.use(refresh.router);
        // The results of the checks of each build: constraints and quality rules.
        router.use(
          createQualityRouter({
            httpAuth,
            quality: new QualityService({ catalog, warehouse }),
          }),
        );
        // ODCS v3.1.0 contracts of the ports, as the caller sees them.
        router.use(
          createContractsRouter({
            httpAuth,
            contracts: new ContractService({
              catalog,
              warehouse,
              server: readContractServer(config),
            }),
          }),
        );
        // What a consumer needs on a port's page: connect, preview, size.
        router.use(
          createConsumersRouter({
            httpAuth,
            consumers: new ConsumerService({
              catalog,
              permissions,
              warehouse,
              server: readContractServer(config),
              auditor,
            }),
          }),
        );
        // Column lineage and impact analysis, from what each build recorded.
        router.use(
          createColumnLineageRouter({
            httpAuth,
            columnLineage: new ColumnLineageService({ catalog, warehouse }),
          }),
        );
        // The explorer: pages of data products from the mesh index.
        router.use(
          createExploreRouter({
            httpAuth,
            explore: new ExploreService({
              store: new ExploreStore(knex),
              permissions,
              catalog,
            }),
          }),
        );
        // The mesh view: domains, products and the flows between them.
        router.use(
          createMeshRouter({
            httpAuth,
            mesh: new MeshService({ knex, catalog, permissions }),
          }),
        );
        // Errors answer with their type and message, never a stack trace,
        // also when the backend runs in development.
        router.use(
          MiddlewareFactory.create({ config, logger }).error({
            showStackTraces: false,
          }),
        );
        httpRouter.use(router);
      },
    });
  },
});
