import { DatabaseManager } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { seedSourceData } from '@dataproducts/demo-data';
import catalogModuleDataProducts from '@dataproducts/plugin-catalog-backend-module-data-products';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the end-to-end test runs the whole portal
import dataProductsPlugin from '@dataproducts/plugin-data-products-backend';
import {
  createWarehouseTestDatabases,
  DEMO_ORDER,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import knexFactory, { type Knex } from 'knex';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { waitFor } from '../lib/waitFor';
import { scaffolderModuleDataProducts } from '../module';

// The e-commerce scenario end to end: the real catalog and scaffolder with
// our modules and plugin on real PostgreSQL, driven by scripts/demo.mjs over
// HTTP exactly as `./portal demo` drives a running portal.

jest.setTimeout(600_000);

// The real database service, except that it also closes the plugins'
// connection pools when the backend stops: Backstage's DatabaseManager.shutdown
// fails on a pg client (client.config.includes) and swallows the error, so the
// pools' timers would keep the jest worker alive.
const closingDatabaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    rootLifecycle: coreServices.rootLifecycle,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
  },
  async createRootContext({ config, rootLifecycle }) {
    const manager = DatabaseManager.fromConfig(config, { rootLifecycle });
    const clients = new Set<Knex>();
    rootLifecycle.addShutdownHook(async () => {
      // The other shutdown hooks run beside this one and may still query
      // (releasing task locks, a last stitch): close the pools once they had
      // a moment, or their query meets a destroyed pool and fails the stop.
      await new Promise(resolve => setTimeout(resolve, 1000));
      await Promise.all([...clients].map(client => client.destroy()));
    });
    return { manager, clients };
  },
  async factory({ pluginMetadata, lifecycle, logger }, { manager, clients }) {
    const database = manager.forPlugin(pluginMetadata.getId(), {
      lifecycle,
      logger,
    });
    return {
      ...database,
      getClient: async () => {
        const client = await database.getClient();
        clients.add(client);
        return client;
      },
    };
  },
});

const ROOT = path.resolve(__dirname, '../../../..');

type Connection = {
  host: string;
  port: number;
  user: string;
  password: string;
};

function scenarioValues() {
  const docs = YAML.parseAllDocuments(
    fs.readFileSync(
      path.join(ROOT, 'fixtures/demo-data-products.yaml'),
      'utf8',
    ),
  ).map(d => d.toJS());
  const product = docs.find(d => d.metadata?.name === 'marketing-customer-360');
  const port = docs.find(
    d => d.metadata?.name === 'marketing-customer-360-customer-activity',
  );
  return {
    title: product.metadata.title,
    description: product.metadata.description,
    owner: 'group:default/marketing',
    domain: 'domain:default/marketing',
    inputs: product.spec.inputs.map((r: string) => r.replace(':', ':default/')),
    schema: product.spec.schema,
    portName: port.spec.name,
    portType: port.spec.type,
    model: port.spec.model as string,
    columns: port.spec.columns,
  };
}

/** Runs scripts/demo.mjs against the test backend; resolves with its exit code and output. */
function runDemo(
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return new Promise(resolve => {
    const child = spawn(
      process.execPath,
      // The access scene signs in as demo users, which this backend (no auth
      // plugin) has not; access is tested with real sign-in in packages/backend.
      [path.join(ROOT, 'scripts/demo.mjs'), '--provision-only'],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
      },
    );
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    child.on('exit', code => resolve({ code: code ?? 1, output }));
  });
}

describe('the e-commerce scenario', () => {
  const databases = createWarehouseTestDatabases();
  const id = randomBytes(4).toString('hex');
  const prefix = `e2e${id}_`;
  const warehouseDatabase = `${prefix}warehouse`;
  let admin: Knex;
  let warehouse: Knex;
  let connection: Connection;

  const config = () => ({
    backend: {
      database: { client: 'pg', connection, prefix },
    },
    catalog: {
      processingInterval: { seconds: 2 },
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Domain',
            'Group',
            'User',
            'Template',
            'DataProduct',
            'OutputPort',
          ],
        },
      ],
      // The demo organisation and, through templates/all.yaml, the templates.
      locations: [
        { type: 'file', target: path.join(ROOT, 'catalog-info/all.yaml') },
      ],
    },
    dataProducts: {
      warehouse: {
        connection,
        database: warehouseDatabase,
        rolePrefix: `dp${id}_`,
        sourceSchema: 'sources',
      },
    },
  });

  async function startPortal() {
    // One events bus for every plugin of this portal, as in a real backend:
    // the registry's change events reach the catalog's entity provider.
    const events = mockServices.events();
    return startTestBackend({
      features: [
        mockServices.rootConfig.factory({ data: config() }),
        closingDatabaseServiceFactory,
        createServiceFactory({
          service: mockServices.events.factory().service,
          deps: {},
          factory: () => events,
        }),
        // The real scheduler: the registry's entity provider runs every few seconds.
        schedulerServiceFactory,
        catalogPlugin,
        catalogModuleTemplateKind,
        catalogModuleDataProducts,
        scaffolderPlugin,
        scaffolderModuleDataProducts,
        dataProductsPlugin,
      ],
    });
  }

  const http = (port: number) => {
    const token = mockCredentials.user.token();
    return async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`http://localhost:${port}${url}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
      };
    };
  };

  /** Waits up to `timeoutMs` for `probe` to return a value, polling. */
  const eventually = <T>(
    probe: () => Promise<T | undefined>,
    what: string,
    timeoutMs = 60_000,
  ) =>
    waitFor(probe, {
      timeoutMs,
      intervalMs: 500,
      onTimeout: () => new Error(`timed out waiting for ${what}`),
    });

  async function runTask(
    call: ReturnType<typeof http>,
    templateRef: string,
    values: unknown,
  ) {
    const { status, body } = await call('POST', '/api/scaffolder/v2/tasks', {
      templateRef,
      values,
    });
    expect(status).toBe(201);
    const task = await eventually(
      async () => {
        const res = await call('GET', `/api/scaffolder/v2/tasks/${body.id}`);
        return ['completed', 'failed', 'cancelled'].includes(res.body.status)
          ? res.body
          : undefined;
      },
      `task ${body.id}`,
      300_000,
    );
    const events = await call(
      'GET',
      `/api/scaffolder/v2/tasks/${body.id}/events`,
    );
    const log = (events.body as { body: { message?: string } }[])
      .map(e => e.body.message ?? '')
      .join('\n');
    return { status: task.status as string, log };
  }

  beforeAll(async () => {
    const testDatabase = await databases.init(warehouseTestDatabaseId());
    const c = testDatabase.client.config.connection as Connection;
    connection = {
      host: c.host,
      port: Number(c.port),
      user: c.user,
      password: c.password,
    };
    admin = knexFactory({
      client: 'pg',
      connection: { ...connection, database: 'postgres' },
    });
    await admin.raw(`CREATE DATABASE ${warehouseDatabase}`);
    warehouse = knexFactory({
      client: 'pg',
      connection: { ...connection, database: warehouseDatabase },
    });
    await seedSourceData(warehouse, { customers: 300 });
  });

  afterAll(async () => {
    await warehouse?.destroy();
    if (!admin) return;
    const { rows: dbs } = await admin.raw(
      `SELECT datname FROM pg_database WHERE datname LIKE ?`,
      [`${prefix}%`],
    );
    for (const { datname } of dbs) {
      await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    const { rows: roles } = await admin.raw(
      `SELECT rolname FROM pg_roles WHERE rolname LIKE ?`,
      [`dp${id}\\_%`],
    );
    for (const { rolname } of roles) {
      await admin.raw(`DROP ROLE IF EXISTS "${rolname}"`);
    }
    await admin.destroy();
  });

  it('runs the demo, refuses the original model, updates, survives a restart, works on two replicas and removes products', async () => {
    let backend = await startPortal();
    let call: ReturnType<typeof http>;
    try {
      await scenario();
    } finally {
      await backend.stop();
    }

    async function scenario() {
      call = http(backend.server.port());

      // 1. The demo script, as `./portal demo` runs it, twice (the second run converges).
      const demoEnv = {
        PORTAL_URL: `http://localhost:${backend.server.port()}`,
        PORTAL_TOKEN: mockCredentials.user.token(),
        POSTGRES_HOST: connection.host,
        POSTGRES_PORT: String(connection.port),
        POSTGRES_USER: connection.user,
        POSTGRES_PASSWORD: connection.password,
        WAREHOUSE_DATABASE: warehouseDatabase,
      };
      const first = await runDemo(demoEnv);
      if (first.code !== 0) throw new Error(`demo failed:\n${first.output}`);
      expect(first.output).toMatch(
        /marketing_360\.customer_activity: \d+ rows/,
      );
      expect(first.output).toMatch(/The scenario took/);

      // 2. The catalog: four products and four ports with their relations.
      const entity = async (ref: string) =>
        (await call('GET', `/api/catalog/entities/by-name/${ref}`))
          .body as Entity;
      const relations = (e: Entity) =>
        (e.relations ?? []).map(r => `${r.type} ${r.targetRef}`);
      const products = await Promise.all(
        DEMO_ORDER.map(name => entity(`dataproduct/default/${name}`)),
      );
      for (const product of products) {
        expect(relations(product)).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^ownedBy group:default\//),
            `partOf domain:default/${product.spec!.domain}`,
          ]),
        );
      }
      expect(relations(products[3])).toEqual(
        expect.arrayContaining([
          'dependsOn outputport:default/sales-crm-customers-customers',
          'dependsOn outputport:default/sales-erp-orders-orders',
          'dependsOn outputport:default/logistics-wms-shipments-shipments',
        ]),
      );
      expect(relations(products[0])).toContain(
        'dependsOn resource:default/crm-customers',
      );
      const ports = await Promise.all(
        [
          'sales-crm-customers-customers',
          'sales-erp-orders-orders',
          'logistics-wms-shipments-shipments',
          'marketing-customer-360-customer-activity',
        ].map(name => entity(`outputport/default/${name}`)),
      );
      ports.forEach((port, i) => {
        expect(relations(port)).toContain(
          `partOf dataproduct:default/${DEMO_ORDER[i]}`,
        );
      });

      // 3. The warehouse: schemas and port objects, and customer_activity equals an independent computation.
      const objects = await warehouse.raw(`
      SELECT n.nspname || '.' || c.relname AS object, c.relkind
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE (n.nspname, c.relname) IN (('sales_crm','customers'),('sales_erp','orders'),('logistics_wms','shipments'),('marketing_360','customer_activity'))
      ORDER BY 1`);
      expect(objects.rows).toEqual([
        { object: 'logistics_wms.shipments', relkind: 'r' },
        { object: 'marketing_360.customer_activity', relkind: 'r' },
        { object: 'sales_crm.customers', relkind: 'r' },
        { object: 'sales_erp.orders', relkind: 'v' },
      ]);
      const expected = `
      WITH latest AS (
        SELECT order_ref, shipped_date, delivery_status,
               row_number() OVER (PARTITION BY order_ref ORDER BY shipped_date DESC, shipment_id DESC) AS n
        FROM sources.wms_shipments)
      SELECT c.id AS customer_id, c.first_name || ' ' || c.last_name AS customer_name, c.email AS customer_email,
             CURRENT_DATE - c.signup_date AS account_age_days, o.order_id, o.total_amount AS order_total,
             l.shipped_date - o.order_date AS days_from_order_to_ship, l.delivery_status
      FROM sources.crm_customers c
      LEFT JOIN sources.erp_orders o ON o.customer_id = c.id
      LEFT JOIN latest l ON l.order_ref = o.order_id AND l.n = 1`;
      const actual = `SELECT customer_id, customer_name::text, customer_email::text, account_age_days, order_id,
      order_total, days_from_order_to_ship, delivery_status::text FROM marketing_360.customer_activity`;
      const diff = await warehouse.raw(
        `SELECT (SELECT count(*) FROM ((${expected}) EXCEPT ALL (${actual})) a)::int AS missing,
              (SELECT count(*) FROM ((${actual}) EXCEPT ALL (${expected})) b)::int AS extra,
              (SELECT count(*) FROM marketing_360.customer_activity)::int AS total`,
      );
      expect(diff.rows[0]).toEqual({
        missing: 0,
        extra: 0,
        total: expect.any(Number),
      });
      expect(diff.rows[0].total).toBeGreaterThan(300);

      const second = await runDemo(demoEnv);
      if (second.code !== 0)
        throw new Error(`second demo run failed:\n${second.output}`);

      // 4. The scenario's original model fails the contract with a diff; nothing is left behind.
      const original = fs.readFileSync(
        path.join(ROOT, 'fixtures/customer-activity-original.sql'),
        'utf8',
      );
      const failed = await runTask(
        call,
        'template:default/compose-data-product',
        {
          ...scenarioValues(),
          title: 'Marketing Activity Original',
          schema: 'marketing_original',
          model: original,
        },
      );
      expect(failed.status).toBe('failed');
      for (const column of [
        'customer_name',
        'customer_email',
        'account_age_days',
        'order_total',
        'days_from_order_to_ship',
      ]) {
        expect(failed.log).toContain(column);
      }
      for (const column of [
        'first_name',
        'last_name',
        'signup_date',
        'order_date',
        'total_amount',
        'shipment_id',
        'shipped_date',
      ]) {
        expect(failed.log).toContain(column);
      }
      expect(
        (
          await call(
            'GET',
            '/api/data-products/registry/products/marketing-activity-original',
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await call(
            'GET',
            '/api/catalog/entities/by-name/dataproduct/default/marketing-activity-original',
          )
        ).status,
      ).toBe(404);
      const leftover = await warehouse.raw(
        `SELECT 1 FROM pg_namespace WHERE nspname = 'marketing_original'`,
      );
      expect(leftover.rows).toEqual([]);

      // 5. Running a template again with the same product name updates it.
      const before = (
        await call(
          'GET',
          '/api/data-products/registry/products/marketing-customer-360',
        )
      ).body;
      const rerun = await runTask(
        call,
        'template:default/compose-data-product',
        {
          ...scenarioValues(),
          description: 'Customer activity for campaign targeting, updated.',
        },
      );
      expect(rerun.status).toBe('completed');
      const after = (
        await call(
          'GET',
          '/api/data-products/registry/products/marketing-customer-360',
        )
      ).body;
      expect(after.createdAt).toBe(before.createdAt);
      expect(after.product.metadata.description).toBe(
        'Customer activity for campaign targeting, updated.',
      );
      await eventually(async () => {
        const e = await entity('dataproduct/default/marketing-customer-360');
        return e.metadata.description ===
          'Customer activity for campaign targeting, updated.'
          ? e
          : undefined;
      }, 'the updated description in the catalog');

      // 6. A restarted backend still has the products.
      await backend.stop();
      backend = await startPortal();
      call = http(backend.server.port());
      const registry = (
        await call('GET', '/api/data-products/registry/products')
      ).body;
      expect(
        registry.items
          .map((i: { product: Entity }) => i.product.metadata.name)
          .sort(),
      ).toEqual([...DEMO_ORDER].sort());
      expect(
        (
          await call(
            'GET',
            '/api/catalog/entities/by-name/dataproduct/default/sales-crm-customers',
          )
        ).status,
      ).toBe(200);

      // 7. A second replica on the same database: products removed through it
      // leave the catalog of both. Removing a product with consumers is
      // refused; without consumers it is decommissioned.
      const replica = await startPortal();
      try {
        await removeThroughReplica(http(replica.server.port()));
      } finally {
        await replica.stop();
      }
    }

    async function removeThroughReplica(replicaCall: ReturnType<typeof http>) {
      const listed = (
        await replicaCall('GET', '/api/data-products/registry/products')
      ).body;
      expect(listed.items).toHaveLength(DEMO_ORDER.length);
      const refused = await replicaCall(
        'DELETE',
        '/api/data-products/registry/products/sales-crm-customers',
      );
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('marketing-customer-360');

      const removed = await replicaCall(
        'DELETE',
        '/api/data-products/registry/products/marketing-customer-360',
      );
      expect(removed.status).toBe(204);
      expect(
        (
          await warehouse.raw(
            `SELECT 1 FROM pg_namespace WHERE nspname = 'marketing_360'`,
          )
        ).rows,
      ).toEqual([]);
      await eventually(async () => {
        const res = await call(
          'GET',
          '/api/catalog/entities/by-name/dataproduct/default/marketing-customer-360',
        );
        return res.status === 404 ? true : undefined;
      }, 'marketing-customer-360 to leave the catalog');
      expect(
        (
          await call(
            'GET',
            '/api/catalog/entities/by-name/outputport/default/marketing-customer-360-customer-activity',
          )
        ).status,
      ).toBe(404);
    }
  });
});
