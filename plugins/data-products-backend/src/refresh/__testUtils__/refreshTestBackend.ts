import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  type OutputPortRefreshPolicy,
  type RefreshRun,
} from '@dataproducts/plugin-data-products-common';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  createTestWarehouse,
  demoRequest,
  type TestWarehouse,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import type { Knex } from 'knex';
import request from 'supertest';
import {
  accessTestCatalog,
  USERS,
} from '../../access/__testUtils__/accessTestBackend';
import { dataProductsPlugin } from '../../plugin';

export { USERS };

/** Lou (Logistics) may refresh data products; nobody else may. */
class TestRefreshPolicy implements PermissionPolicy {
  async handle(query: PolicyQuery, user?: PolicyQueryUser) {
    const allowed =
      query.permission.name === 'dataproduct.refresh' &&
      user?.info.userEntityRef === USERS.lou;
    return {
      result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    };
  }
}

const testPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-refresh-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new TestRefreshPolicy());
      },
    });
  },
});

/** The demo catalog with refresh policies on the given ports (by entity name). */
export function refreshTestCatalog(
  policies: Record<string, OutputPortRefreshPolicy>,
): Entity[] {
  return accessTestCatalog().map(entity =>
    policies[entity.metadata.name]
      ? {
          ...entity,
          spec: { ...entity.spec, refresh: policies[entity.metadata.name] },
        }
      : entity,
  );
}

/** A running replica of the backend. */
export interface Replica {
  server: ReturnType<typeof request>;
  stop(): Promise<void>;
}

/**
 * The warehouse (the three source-aligned demo products provisioned) and
 * the databases the replicas share: each plugin's own, the same for every
 * replica, as replicas of one deployment share them.
 */
export class RefreshTestCluster {
  readonly pluginDbs = new Map<string, Promise<Knex>>();
  private readonly replicas: Replica[] = [];

  private constructor(
    private readonly databases: TestDatabases,
    readonly warehouse: TestWarehouse,
    private readonly entities: Entity[],
  ) {}

  static async create(
    databases: TestDatabases,
    entities: Entity[],
  ): Promise<RefreshTestCluster> {
    const warehouse = await createTestWarehouse(databases, {
      customers: 50,
      // A refresh that waits for another's lock fails soon, and is retried.
      limits: { lockTimeoutMs: 300 },
    });
    for (const name of [
      'sales-crm-customers',
      'sales-erp-orders',
      'logistics-wms-shipments',
    ]) {
      await warehouse.engine.apply(demoRequest(name));
    }
    return new RefreshTestCluster(databases, warehouse, entities);
  }

  /** The data-products plugin's database. */
  pluginDb(): Promise<Knex> {
    return this.pluginDbs.get('data-products')!;
  }

  /**
   * Starts a replica: the data-products plugin with Backstage's real
   * scheduler, the real permission backend (with the test policy) and the
   * real notifications backend, checking schedules and freshness every
   * second.
   */
  async start(): Promise<Replica> {
    const backend = await startTestBackend({
      features: [
        createServiceFactory({
          service: coreServices.database,
          deps: { plugin: coreServices.pluginMetadata },
          factory: async ({ plugin }) => {
            const id = plugin.getId();
            if (!this.pluginDbs.has(id)) {
              this.pluginDbs.set(
                id,
                this.databases.init(warehouseTestDatabaseId()),
              );
            }
            const knex = await this.pluginDbs.get(id)!;
            return { getClient: async () => knex };
          },
        }),
        schedulerServiceFactory,
        createServiceFactory({
          service: warehouseServiceRef,
          deps: {},
          factory: () => this.warehouse.engine,
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            permission: { enabled: true },
            dataProducts: {
              access: {
                expiry: {
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 1 },
                  },
                },
              },
              refresh: {
                reconcileFrequency: { seconds: 1 },
                freshnessCheckFrequency: { seconds: 1 },
                retry: { attempts: 5, backoff: { milliseconds: 500 } },
              },
            },
          },
        }),
        catalogServiceMock.factory({ entities: this.entities }),
        permissionPlugin,
        testPolicyModule,
        notificationsPlugin,
        dataProductsPlugin,
      ],
    });
    const replica = {
      server: request(backend.server),
      stop: () => backend.stop(),
    };
    this.replicas.push(replica);
    return replica;
  }

  /** A port's refresh attempts, oldest first. */
  async runs(port: string): Promise<RefreshRun[]> {
    const knex = await this.pluginDb();
    const rows = await knex('data_product_refresh_runs')
      .where({ port })
      .orderBy('id');
    return rows.map(row => ({
      id: String(row.id),
      product: row.product,
      port: row.port,
      trigger: row.trigger,
      actor: row.actor,
      attempt: row.attempt,
      startedAt: new Date(row.started_at).toISOString(),
      ...(row.finished_at
        ? { finishedAt: new Date(row.finished_at).toISOString() }
        : {}),
      outcome: row.outcome,
      ...(row.rows !== null ? { rows: Number(row.rows) } : {}),
      ...(row.error ? { error: row.error } : {}),
    }));
  }

  /** The titles of a user's notifications, oldest first. */
  async notificationsOf(user: string): Promise<string[]> {
    const res = await this.replicas[0].server
      .get('/api/notifications')
      .query({ orderField: 'created,asc' })
      .set('Authorization', mockCredentials.user.header(user));
    return res.body.notifications.map(
      (n: { payload: { title: string } }) => n.payload.title,
    );
  }

  async stop(): Promise<void> {
    for (const replica of this.replicas.reverse()) {
      await replica.stop();
    }
    await this.warehouse.cleanup();
  }
}

/** Waits until `check` resolves with a value that is not undefined, polling. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  attempts = 150,
): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`Gave up waiting for ${what}`);
}

/** The Authorization header of a user's token. */
export function as(user: string): [string, string] {
  return ['Authorization', mockCredentials.user.header(user)];
}
