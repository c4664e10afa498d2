import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type SchedulerServiceTaskDescriptor,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  type Entity,
  RELATION_HAS_MEMBER,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  type PermissionPolicy,
  type PolicyQuery,
  type PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import type { TestDatabases } from '@backstage/backend-test-utils';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  catalogSnapshot,
  createTestWarehouse,
  demoRequest,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import type { Knex } from 'knex';
import request from 'supertest';
import { dataProductsPlugin } from '../../plugin';
import { readEntities, withRelations } from '../../testUtils/demoCatalog';

/** The demo organisation's users, as refs. */
export const USERS = {
  /** A member of Sales, which owns sales-crm-customers and sales-erp-orders. */
  ana: 'user:default/ana.sales',
  /** A member of Marketing. */
  mark: 'user:default/mark.marketing',
  /** A member of Logistics, which owns logistics-wms-shipments. */
  lou: 'user:default/lou.logistics',
} as const;

/**
 * The test policy: everyone signed in may request access; Ana (Sales) may
 * approve and revoke; Lou (Logistics) may update, so act for, data
 * products. Everything else is denied. (The portal's own policy, owners and
 * admin groups, is tested with the policy module.)
 */
class TestAccessPolicy implements PermissionPolicy {
  async handle(
    query: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const who = user?.info.userEntityRef;
    const allowed: Record<string, string[]> = {
      'dataproduct.access.request': Object.values(USERS),
      'dataproduct.access.approve': [USERS.ana],
      'dataproduct.access.revoke': [USERS.ana],
      'dataproduct.update': [USERS.lou],
    };
    const result =
      who && allowed[query.permission.name]?.includes(who)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY;
    return { result };
  }
}

const testPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-access-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new TestAccessPolicy());
      },
    });
  },
});

/**
 * The demo organisation and products, with membership relations; the Sales
 * ERP orders port is public and the Logistics shipments port private.
 */
export function accessTestCatalog(): Entity[] {
  const entities = withRelations([
    ...readEntities('catalog-info/org.yaml'),
    ...readEntities('fixtures/demo-data-products.yaml'),
  ]);
  const access: Record<string, string> = {
    'sales-erp-orders-orders': 'public',
    'logistics-wms-shipments-shipments': 'private',
  };
  for (const entity of entities) {
    const level = access[entity.metadata.name];
    if (level) {
      entity.spec = { ...entity.spec, access: level };
    }
    if (entity.kind === 'Group') {
      for (const member of (entity.spec?.members as string[]) ?? []) {
        const user = `user:default/${member}`;
        const group = stringifyEntityRef(entity);
        entity.relations!.push({ type: RELATION_HAS_MEMBER, targetRef: user });
        entities
          .find(e => stringifyEntityRef(e) === user)
          ?.relations!.push({ type: RELATION_MEMBER_OF, targetRef: group });
      }
    }
  }
  return entities;
}

/** A running test backend with the access API, and what tests look at. */
export interface AccessTestBackend {
  server: ReturnType<typeof request>;
  /** The data-products plugin's own database. */
  pluginDb: Knex;
  /** The warehouse database. */
  warehouseDb: Knex;
  /** The warehouse's role prefix. */
  prefix: string;
  /** Runs the access expiry task once, as the scheduler would. */
  runExpiry(): Promise<void>;
  /** The scheduled tasks. */
  scheduledTasks(): Promise<SchedulerServiceTaskDescriptor[]>;
  /** The direct members of a port's reader role, from pg_auth_members. */
  readersOf(schema: string, port: string): Promise<string[]>;
  /** The access requests table and the warehouse's memberships, to compare. */
  snapshot(): Promise<unknown>;
  /** The titles of a user's notifications, oldest first. */
  notificationsOf(user: string): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Starts the data-products plugin with the real permission backend (and the
 * test policy) and the real notifications backend, on real PostgreSQL: each
 * plugin its own database, and a warehouse where the three source-aligned
 * demo products are provisioned (Marketing Customer 360 is not).
 */
export async function startAccessTestBackend(
  databases: TestDatabases,
): Promise<AccessTestBackend> {
  const warehouse = await createTestWarehouse(databases);
  for (const name of [
    'sales-crm-customers',
    'sales-erp-orders',
    'logistics-wms-shipments',
  ]) {
    await warehouse.engine.apply(demoRequest(name));
  }
  const pluginDbs = new Map<string, Knex>();
  const scheduler = mockServices.scheduler();
  const backend = await startTestBackend({
    features: [
      createServiceFactory({
        service: coreServices.database,
        deps: { plugin: coreServices.pluginMetadata },
        factory: async ({ plugin }) => {
          const knex = await databases.init(warehouseTestDatabaseId());
          pluginDbs.set(plugin.getId(), knex);
          return { getClient: async () => knex };
        },
      }),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      createServiceFactory({
        service: warehouseServiceRef,
        deps: {},
        factory: () => warehouse.engine,
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          permission: { enabled: true },
        },
      }),
      catalogServiceMock.factory({ entities: accessTestCatalog() }),
      permissionPlugin,
      testPolicyModule,
      notificationsPlugin,
      dataProductsPlugin,
    ],
  });
  const server = request(backend.server);
  const pluginDb = pluginDbs.get('data-products')!;
  return {
    server,
    pluginDb,
    warehouseDb: warehouse.knex,
    prefix: warehouse.prefix,
    runExpiry: () => scheduler.triggerTask('data-products-access-expiry'),
    scheduledTasks: () => scheduler.getScheduledTasks(),
    async readersOf(schema, port) {
      const { rows } = await warehouse.knex.raw(
        `SELECT u.rolname FROM pg_catalog.pg_auth_members m
           JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
           JOIN pg_catalog.pg_roles u ON u.oid = m.member
          WHERE r.rolname = ? ORDER BY 1`,
        [`${warehouse.prefix}${schema}__${port}_r`],
      );
      return rows.map((row: { rolname: string }) => row.rolname);
    },
    async snapshot() {
      return {
        requests: await pluginDb('data_product_access_requests').orderBy('id'),
        warehouse: await catalogSnapshot(warehouse.knex, warehouse.prefix),
      };
    },
    async notificationsOf(user) {
      const res = await server
        .get('/api/notifications')
        .query({ orderField: 'created,asc' })
        .set('Authorization', mockCredentials.user.header(user));
      return res.body.notifications.map(
        (n: { payload: { title: string } }) => n.payload.title,
      );
    },
    async stop() {
      await backend.stop();
      await warehouse.cleanup();
    },
  };
}

/** The Authorization header of a user's token. */
export function as(user: string): [string, string] {
  return ['Authorization', mockCredentials.user.header(user)];
}
