import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import catalogModuleDataProducts from '@dataproducts/plugin-catalog-backend-module-data-products';
import dataProductsPlugin from '@dataproducts/plugin-data-products-backend';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  catalogSnapshot,
  createTestWarehouse,
  provisionDemo,
  type TestWarehouse,
} from '@dataproducts/plugin-data-products-node/testUtils';
import permissionModuleDataProductsPolicy from '@dataproducts/plugin-permission-backend-module-data-products';
import request from 'supertest';
import { testCatalogConfig } from './__testUtils__/catalogConfig';
import { databasePerPlugin } from './__testUtils__/databasePerPlugin';
import { authModuleDemoUserSignIn } from './modules/demoUserSignIn';

// The port page's consumer routes as the portal runs them: users sign in
// through the real auth backend, the real permission backend asks the data
// products policy, the catalog reads the demo's products and ports from
// their YAML, and the warehouse is real PostgreSQL with the demo provisioned.

jest.setTimeout(180_000);

const CUSTOMERS =
  '/api/data-products/ports/default/sales-crm-customers-customers';

type Server = Parameters<typeof request>[0];

describe('the port page for consumers, with real users and the real policy', () => {
  let warehouse: TestWarehouse;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  // Before TestDatabases registers its own clean-up, which closes the connections.
  afterAll(async () => {
    await backend?.stop();
    await warehouse?.cleanup();
  });
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });
  const database = databasePerPlugin(databases);

  let server: Server;
  const tokens: Record<string, string> = {};
  const as = (user: string) => ({ Authorization: `Bearer ${tokens[user]}` });
  /** Every value of a source table's column, to look for in answers. */
  const valuesOf = async (column: string) =>
    (
      await warehouse.knex.raw(
        `SELECT ${column}::text AS v FROM sources.crm_customers`,
      )
    ).rows.map((row: { v: string }) => row.v);

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 50 });
    await provisionDemo(warehouse.engine);
    const users = [
      'ana.sales',
      'mark.marketing',
      'lou.logistics',
      'dana.platform',
    ].map(name => `user:default/${name}`);

    backend = await startTestBackend({
      features: [
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        database,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
            auth: {
              environment: 'development',
              providers: { demoUsers: { users } },
            },
            permission: { enabled: true },
            dataProducts: {
              permissions: { adminGroups: ['group:default/data-platform'] },
              warehouse: {
                connection: {
                  host: 'pg-internal.cluster.local',
                  port: 6543,
                  user: 'portal_admin',
                  password: 'engine-secret',
                },
              },
              contracts: {
                server: { host: 'warehouse.example.com', port: 5433 },
              },
            },
            catalog: testCatalogConfig({
              files: [
                'catalog-info/org.yaml',
                'fixtures/demo-data-products.yaml',
              ],
            }),
          },
        }),
        createServiceFactory({
          service: warehouseServiceRef,
          deps: {},
          factory: () => warehouse.engine,
        }),
        authPlugin,
        authModuleDemoUserSignIn,
        catalogPlugin,
        catalogModuleDataProducts,
        permissionPlugin,
        permissionModuleDataProductsPolicy,
        notificationsPlugin,
        dataProductsPlugin,
      ],
    });
    server = backend.server;

    for (const user of users) {
      let res = await request(server)
        .get('/api/auth/demoUsers/refresh')
        .set('x-portal-user', user);
      while (res.status !== 200) {
        // The catalog reads the organisation in its first processing rounds.
        await new Promise(resolve => setTimeout(resolve, 250));
        res = await request(server)
          .get('/api/auth/demoUsers/refresh')
          .set('x-portal-user', user);
      }
      tokens[user.split('/')[1]] = res.body.backstageIdentity.token;
    }
    // The catalog reads the demo's ports soon after.
    while (
      (
        await request(server)
          .get(
            '/api/catalog/entities/by-name/outputport/default/sales-crm-customers-customers',
          )
          .set(as('ana.sales'))
      ).status !== 200
    ) {
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  });

  it('shows the owner the first 20 rows, with the pii column never sent', async () => {
    const res = await request(server)
      .get(`${CUSTOMERS}/preview`)
      .set(as('ana.sales'));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      port: 'outputport:default/sales-crm-customers-customers',
      object: 'sales_crm.customers',
      limit: 20,
      allowedAs: 'permission',
    });
    expect(res.body.rows).toHaveLength(20);
    expect(res.body.columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'first_name', type: 'character varying(50)' },
      { name: 'last_name', type: 'character varying(50)' },
      { name: 'email', type: 'character varying(100)', masked: 'pii' },
      { name: 'signup_date', type: 'date' },
    ]);
    const firstNames = await valuesOf('first_name');
    expect(firstNames).toContain(res.body.rows[0][1]);
    for (const email of await valuesOf('email')) {
      expect(res.text).not.toContain(email);
    }
  });

  it('refuses another user with 403 naming the permission, reveals no row and changes nothing', async () => {
    const before = await catalogSnapshot(warehouse.knex, warehouse.prefix);
    const res = await request(server)
      .get(`${CUSTOMERS}/preview`)
      .set(as('lou.logistics'));
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(res.body.error.message).toContain(
      'permission dataproduct.preview was denied on dataproduct:default/sales-crm-customers',
    );
    expect(res.body.error.message).toContain('Request access');
    expect(res.body.error.stack).toBeUndefined();
    expect(res.body.rows).toBeUndefined();
    for (const name of (await valuesOf('last_name')).slice(0, 20)) {
      expect(res.text).not.toContain(name);
    }
    expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
      before,
    );
    // Not signed in: refused before anything is looked up.
    const anonymous = await request(server).get(`${CUSTOMERS}/preview`);
    expect(anonymous.status).toBe(401);
  });

  it('lets an admin preview, and a member of a group whose role reads the port', async () => {
    const admin = await request(server)
      .get(`${CUSTOMERS}/preview`)
      .set(as('dana.platform'));
    expect(admin.status).toBe(200);
    expect(admin.body.allowedAs).toBe('permission');

    const before = await request(server)
      .get(`${CUSTOMERS}/preview`)
      .set(as('mark.marketing'));
    expect(before.status).toBe(403);
    await warehouse.engine.grant({
      product: 'sales-crm-customers',
      port: 'customers',
      consumer: { kind: 'group', name: 'marketing' },
    });
    try {
      const reader = await request(server)
        .get(`${CUSTOMERS}/preview`)
        .set(as('mark.marketing'));
      expect(reader.status).toBe(200);
      expect(reader.body.allowedAs).toBe('reader');
      expect(reader.body.columns[3]).toMatchObject({ masked: 'pii' });

      const connection = await request(server)
        .get(`${CUSTOMERS}/connection`)
        .set(as('mark.marketing'));
      expect(connection.status).toBe(200);
      const role = `${warehouse.prefix}grp_marketing`;
      expect(connection.body).toEqual({
        port: 'outputport:default/sales-crm-customers-customers',
        host: 'warehouse.example.com',
        serverPort: 5433,
        database: 'dataproducts_warehouse',
        schema: 'sales_crm',
        relation: 'customers',
        access: 'restricted',
        roles: [{ role, group: 'group:default/marketing' }],
        psql: 'psql "host=warehouse.example.com port=5433 dbname=dataproducts_warehouse user=<your database login>"',
        jdbcUrl:
          'jdbc:postgresql://warehouse.example.com:5433/dataproducts_warehouse',
        sql: `SET ROLE ${role};\nSELECT id, first_name, last_name, email, signup_date\n  FROM sales_crm.customers\n LIMIT 10;`,
        source: "{{ source('sales-crm-customers', 'customers') }}",
      });
      // Neither the engine's user nor its password, nor the internal host.
      expect(connection.text).not.toMatch(
        /portal_admin|engine-secret|pg-internal/,
      );
    } finally {
      await warehouse.engine.revoke({
        product: 'sales-crm-customers',
        port: 'customers',
        consumer: { kind: 'group', name: 'marketing' },
      });
    }
  });

  it('tells a user without a reading role how to get one', async () => {
    const res = await request(server)
      .get(`${CUSTOMERS}/connection`)
      .set(as('lou.logistics'));
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual([]);
    expect(res.body.sql).toMatch(/^-- Your groups cannot read this port yet/);
  });

  it('gives the row count and size to every signed-in user', async () => {
    const res = await request(server)
      .get(`${CUSTOMERS}/size`)
      .set(as('lou.logistics'));
    expect(res.status).toBe(200);
    const { rows } = await warehouse.knex.raw(
      "SELECT pg_total_relation_size('sales_crm.customers')::float8 AS b",
    );
    expect(res.body).toEqual({
      port: 'outputport:default/sales-crm-customers-customers',
      object: 'sales_crm.customers',
      type: 'postgres-table',
      rows: 50,
      rowsExact: true,
      bytes: rows[0].b,
    });
  });

  it('refuses hostile names in the path, naming them, and answers 404 for unknown ports', async () => {
    for (const [url, message] of [
      [
        '/api/data-products/ports/default/x%22%3B%20DROP%20TABLE%20y%3B--/preview',
        'Invalid output port name "x\\"; DROP TABLE y;--"',
      ],
      [
        "/api/data-products/ports/de'fault/customers/connection",
        `Invalid namespace "de'fault"`,
      ],
    ]) {
      const res = await request(server).get(url).set(as('ana.sales'));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    }
    const unknown = await request(server)
      .get('/api/data-products/ports/default/no-such-port/preview')
      .set(as('ana.sales'));
    expect(unknown.status).toBe(404);
  });
});
