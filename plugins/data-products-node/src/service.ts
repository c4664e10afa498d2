import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { connectWarehouse, readWarehouseConfig } from './engine/connection';
import { readBuildLimits } from './engine/limits';
import { WarehouseEngine } from './engine/WarehouseEngine';

/** The warehouse engine as a backend service. */
export type WarehouseService = Pick<
  WarehouseEngine,
  | 'plan'
  | 'diff'
  | 'apply'
  | 'refresh'
  | 'builds'
  | 'checkDraftModel'
  | 'grant'
  | 'revoke'
  | 'decommission'
  | 'inspect'
  | 'provisioned'
  | 'readers'
  | 'readable'
  | 'columnLineage'
  | 'columnImpact'
  | 'preview'
  | 'portSize'
  | 'rolePrefix'
  | 'quality'
  | 'qualitySummaries'
>;

/**
 * The warehouse engine, one instance per backend shared by every plugin and
 * module, configured from `dataProducts.warehouse`.
 */
export const warehouseServiceRef = createServiceRef<WarehouseService>({
  id: 'dataproducts.warehouse',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      factory({ config, logger, lifecycle }) {
        const settings = readWarehouseConfig(config);
        const engine = new WarehouseEngine({
          knex: () => connectWarehouse(settings, logger),
          rolePrefix: settings.rolePrefix,
          sourceSchema: settings.sourceSchema,
          limits: readBuildLimits(config),
          logger,
        });
        lifecycle.addShutdownHook(() => engine.close());
        return engine;
      },
    }),
});
