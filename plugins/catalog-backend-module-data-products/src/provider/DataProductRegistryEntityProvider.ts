import type {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  DEFAULT_NAMESPACE,
  type Entity,
} from '@backstage/catalog-model';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION,
  DataProductsRegistryClient,
  type RegisteredDataProduct,
} from '@dataproducts/plugin-data-products-common';

/** Annotation with the registry's record of the product's last provisioning. */
export const ANNOTATION_REGISTRY_STATUS =
  DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION;
/** Annotation with the error of a failed provisioning. */
export const ANNOTATION_REGISTRY_ERROR = 'dataproducts.io/registry-error';

const PROVIDER_NAME = 'data-products-registry';

/** The default schedule: every 3 seconds on every replica. */
export const DEFAULT_REGISTRY_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { seconds: 3 },
    timeout: { seconds: 30 },
    scope: 'local',
  };

/**
 * Publishes the self-service products of the data-products registry as
 * DataProduct and OutputPort entities. It reads the registry through
 * `DataProductsRegistryClient` with the backend's own service credentials on a
 * short local schedule, so a new product reaches the catalog within seconds on
 * every replica, and applies a full mutation only when the registry's content
 * changed.
 */
export class DataProductRegistryEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private lastPublished?: string;
  private lastError?: string;
  private readonly registry: DataProductsRegistryClient;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      scheduler?: SchedulerService;
      schedule?: SchedulerServiceTaskScheduleDefinition;
    },
  ) {
    this.registry = new DataProductsRegistryClient({
      discoveryApi: options.discovery,
    });
  }

  getProviderName(): string {
    return PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const { scheduler, schedule = DEFAULT_REGISTRY_SCHEDULE } = this.options;
    if (scheduler) {
      await scheduler.scheduleTask({
        id: `${PROVIDER_NAME}:refresh`,
        ...schedule,
        fn: async () => {
          try {
            await this.refresh();
            if (this.lastError) {
              this.options.logger.info(
                'The data product registry is readable again',
              );
              this.lastError = undefined;
            }
          } catch (error) {
            // Once per distinct problem, not every few seconds.
            const message = String(error);
            if (message !== this.lastError) {
              this.options.logger.warn(
                `Could not publish the data product registry: ${message}`,
              );
              this.lastError = message;
            }
          }
        },
      });
    }
  }

  /**
   * Reads the registry and, when it changed since the last call, replaces the
   * provider's entities in the catalog. Throws when the registry cannot be
   * read, leaving the published entities as they were.
   */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error(`${PROVIDER_NAME} is not connected to the catalog`);
    }
    const items = await this.readRegistry();
    const entities = items.flatMap(item => toDeferredEntities(item));
    // Every registration counts, also one that changes nothing: after the
    // catalog dropped the entities (Unregister), registering the product
    // again must publish them again, which an unchanged set would not.
    const fingerprint = JSON.stringify({
      entities,
      registered: items.map(item => item.updatedAt),
    });
    if (fingerprint === this.lastPublished) {
      return;
    }
    await this.connection.applyMutation({ type: 'full', entities });
    this.lastPublished = fingerprint;
    this.options.logger.info(
      `Published ${items.length} self-service data products (${entities.length} entities)`,
    );
  }

  private async readRegistry(): Promise<RegisteredDataProduct[]> {
    const { auth } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'data-products',
    });
    return this.registry.listProducts({ token });
  }
}

function withAnnotations(
  entity: Entity,
  location: string,
  item: RegisteredDataProduct,
): Entity {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
      annotations: {
        ...entity.metadata.annotations,
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATION_REGISTRY_STATUS]: item.status,
        ...(item.error ? { [ANNOTATION_REGISTRY_ERROR]: item.error } : {}),
      },
    },
  };
}

function toDeferredEntities(item: RegisteredDataProduct): DeferredEntity[] {
  const name = item.product.metadata.name;
  const location = `${PROVIDER_NAME}:${name}`;
  return [item.product, ...item.ports].map(entity => ({
    entity: withAnnotations(entity, location, item),
    locationKey: location,
  }));
}
