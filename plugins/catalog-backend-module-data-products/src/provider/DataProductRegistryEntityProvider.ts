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
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION,
  DATA_PRODUCT_REGISTRY_TOPIC,
  DATA_PRODUCT_REGISTRY_CHANGES_MAX_LIMIT,
  DataProductsRegistryClient,
  dataProductRegistryLocation,
  type DataProductRegistryChangePage,
  type DataProductRegistryEventPayload,
  type RegisteredDataProduct,
} from '@dataproducts/plugin-data-products-common';

/** Annotation with the registry's record of the product's last provisioning. */
export const ANNOTATION_REGISTRY_STATUS =
  DATA_PRODUCT_REGISTRY_STATUS_ANNOTATION;
/** Annotation with the error of a failed provisioning. */
export const ANNOTATION_REGISTRY_ERROR = 'dataproducts.io/registry-error';

const PROVIDER_NAME = 'data-products-registry';

/**
 * The default schedule of the fallback poll of the registry's change feed:
 * every 15 seconds on every replica. Events bring changes at once; the poll
 * catches events that never arrived (a change made on another replica
 * without a shared event bus, a registry that was briefly unreachable).
 */
export const DEFAULT_REGISTRY_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { seconds: 15 },
    timeout: { minutes: 2 },
    scope: 'local',
  };

// How soon a first sync that failed (the registry not up yet at start) is
// tried again, instead of waiting for the next poll; the delay doubles with
// each failure up to the longest, so a registry that is not there at all
// costs little.
const FIRST_SYNC_RETRY_MS = 500;
const FIRST_SYNC_RETRY_MAX_MS = 30_000;

/**
 * Publishes the self-service products of the data-products registry as
 * DataProduct and OutputPort entities, complete: every port carries its
 * owner (its product's when it has none), so the first processing round
 * emits every relation.
 *
 * It follows the registry's change feed with the backend's own service
 * credentials: at connect one full mutation from a snapshot of the registry
 * and the feed cursor that snapshot reflects; then, on each
 * `data-products.registry` event and on a slow local poll, the changes after
 * the cursor as delta mutations (an update that drops a port removes that
 * port's entity; a removal removes all its entities). When the registry
 * cannot be read the cursor stays where it was, so nothing is lost; a cursor
 * older than the changes the registry keeps brings a full mutation again.
 */
export class DataProductRegistryEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private cursor?: number;
  /** The refs published for each product, to know what an update dropped. */
  private readonly published = new Map<string, Set<string>>();
  private running?: Promise<void>;
  private pending = false;
  private lastError?: string;
  private firstSyncRetry?: ReturnType<typeof setTimeout>;
  private firstSyncRetryMs = FIRST_SYNC_RETRY_MS;
  private readonly registry: DataProductsRegistryClient;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      /** Where `data-products.registry` events arrive; without it, the poll alone. */
      events?: Pick<EventsService, 'subscribe'>;
      scheduler?: SchedulerService;
      /** The fallback poll's schedule (always local to the replica). */
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
    const {
      events,
      scheduler,
      schedule = DEFAULT_REGISTRY_SCHEDULE,
    } = this.options;
    await events?.subscribe({
      id: `${PROVIDER_NAME}-provider`,
      topics: [DATA_PRODUCT_REGISTRY_TOPIC],
      onEvent: async ({ eventPayload }) => {
        const { id } = (eventPayload ?? {}) as DataProductRegistryEventPayload;
        // Already applied (read by an earlier sync): nothing to read.
        if (
          typeof id === 'number' &&
          this.cursor !== undefined &&
          id <= this.cursor
        ) {
          return;
        }
        // Not awaited: the registry that published the event does not wait
        // for the catalog.
        this.syncInBackground();
      },
    });
    if (scheduler) {
      await scheduler.scheduleTask({
        id: `${PROVIDER_NAME}:sync`,
        ...schedule,
        scope: 'local',
        fn: async () => this.syncInBackground(),
      });
    }
  }

  /**
   * Brings the catalog in step with the registry: a full mutation when the
   * provider has no cursor yet (or its cursor is too old), else the changes
   * after its cursor as delta mutations. Concurrent calls share one run, and
   * a call during a run brings one more run after it. Throws when the
   * registry cannot be read, keeping the cursor.
   */
  async sync(): Promise<void> {
    if (this.running) {
      this.pending = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.pending = false;
          await this.syncOnce();
        } while (this.pending);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private syncInBackground(): Promise<void> {
    return this.sync().then(
      () => {
        if (this.lastError) {
          this.options.logger.info(
            'The data product registry is readable again',
          );
          this.lastError = undefined;
        }
      },
      error => {
        // Once per distinct problem, not on every event or poll.
        const message = String(error);
        if (message !== this.lastError) {
          this.options.logger.warn(
            `Could not read the data product registry, the catalog keeps what it has and tries again: ${message}`,
          );
          this.lastError = message;
        }
        if (this.cursor === undefined && !this.firstSyncRetry) {
          this.firstSyncRetry = setTimeout(() => {
            this.firstSyncRetry = undefined;
            void this.syncInBackground();
          }, this.firstSyncRetryMs);
          this.firstSyncRetry.unref?.();
          this.firstSyncRetryMs = Math.min(
            this.firstSyncRetryMs * 2,
            FIRST_SYNC_RETRY_MAX_MS,
          );
        }
      },
    );
  }

  private async syncOnce(): Promise<void> {
    if (!this.connection) {
      throw new Error(`${PROVIDER_NAME} is not connected to the catalog`);
    }
    if (this.cursor === undefined) {
      await this.publishAll(this.connection);
      return;
    }
    for (;;) {
      const page = await this.registry.getChanges(
        { after: this.cursor, limit: DATA_PRODUCT_REGISTRY_CHANGES_MAX_LIMIT },
        { token: await this.token() },
      );
      if (page.stale) {
        this.options.logger.info(
          `Registry change ${this.cursor} is no longer kept; publishing the whole registry again`,
        );
        await this.publishAll(this.connection);
        return;
      }
      if (page.changes.length > 0) {
        await this.applyChanges(this.connection, page);
      }
      this.cursor = page.cursor;
      if (!page.more) {
        return;
      }
    }
  }

  /** One full mutation from a snapshot, and the cursor it reflects. */
  private async publishAll(connection: EntityProviderConnection) {
    const { items, cursor } = await this.registry.getSnapshot({
      token: await this.token(),
    });
    const entities = items.flatMap(item => toDeferredEntities(item));
    await connection.applyMutation({ type: 'full', entities });
    this.published.clear();
    for (const item of items) {
      this.published.set(item.product.metadata.name, refsOf(item));
    }
    this.cursor = cursor;
    this.options.logger.info(
      `Published ${items.length} self-service data products (${entities.length} entities) at registry change ${cursor}`,
    );
  }

  /** One delta mutation for a page of changes. */
  private async applyChanges(
    connection: EntityProviderConnection,
    page: DataProductRegistryChangePage,
  ) {
    const current = new Map(
      page.items.map(item => [item.product.metadata.name, item]),
    );
    const added: DeferredEntity[] = [];
    const removed: Array<{ entityRef: string; locationKey: string }> = [];
    const next = new Map<string, Set<string>>();
    for (const name of new Set(page.changes.map(change => change.name))) {
      const item = current.get(name);
      const refs = item ? refsOf(item) : new Set<string>();
      for (const ref of this.published.get(name) ?? []) {
        if (!refs.has(ref)) {
          removed.push({
            entityRef: ref,
            locationKey: dataProductRegistryLocation(name),
          });
        }
      }
      if (item) {
        // Every registration is published, also an unchanged one: the
        // catalog may have dropped the entities (Unregister) since.
        added.push(...toDeferredEntities(item));
      }
      next.set(name, refs);
    }
    await connection.applyMutation({ type: 'delta', added, removed });
    for (const [name, refs] of next) {
      if (refs.size > 0) {
        this.published.set(name, refs);
      } else {
        this.published.delete(name);
      }
    }
    this.options.logger.debug(
      `Applied registry changes up to ${page.cursor}: ${added.length} entities published, ${removed.length} removed`,
    );
  }

  private async token(): Promise<string> {
    const { auth } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'data-products',
    });
    return token;
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

/**
 * The product and its ports as the catalog receives them: annotated with
 * their registry location, and each port owned by its product's owner when
 * it names none, so that the processor needs no catalog lookup for it.
 */
function toDeferredEntities(item: RegisteredDataProduct): DeferredEntity[] {
  const { product } = item;
  const location = dataProductRegistryLocation(product.metadata.name);
  const ports = item.ports.map(port =>
    port.spec.owner
      ? port
      : { ...port, spec: { ...port.spec, owner: product.spec.owner } },
  );
  return [product, ...ports].map(entity => ({
    entity: withAnnotations(entity, location, item),
    locationKey: location,
  }));
}

function refsOf(item: RegisteredDataProduct): Set<string> {
  return new Set(
    [item.product, ...item.ports].map(entity =>
      stringifyEntityRef({
        ...entity,
        metadata: {
          ...entity.metadata,
          namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
        },
      }),
    ),
  );
}
