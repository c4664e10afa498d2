import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleDataProducts from '@dataproducts/plugin-catalog-backend-module-data-products';
import dataProductsPlugin from '@dataproducts/plugin-data-products-backend';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  catalogSnapshot,
  createTestWarehouse,
  demoRequest,
  type TestWarehouse,
} from '@dataproducts/plugin-data-products-node/testUtils';
import permissionModuleDataProductsPolicy from '@dataproducts/plugin-permission-backend-module-data-products';
import permissionPlugin from '@backstage/plugin-permission-backend';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, testCatalogConfig } from './__testUtils__/catalogConfig';
import { databasePerPlugin } from './__testUtils__/databasePerPlugin';
import { authModuleDemoUserSignIn } from './modules/demoUserSignIn';

// Refresh now as the portal runs it: users sign in through the real auth
// backend, the real catalog reads the organisation and the Sales CRM
// Customers product from files (its port with a refresh policy), the data
// products policy decides, and the warehouse is real PostgreSQL.

jest.setTimeout(180_000);

const PORT_URL =
  '/api/data-products/ports/default/sales-crm-customers-customers';

type Server = Parameters<typeof request>[0];

/** Sales CRM Customers and its port from the demo fixtures, refreshed hourly and fresh for a day. */
function crmCustomersYaml(): string {
  const docs = parseAllDocuments(
    fs.readFileSync(
      path.join(REPO_ROOT, 'fixtures/demo-data-products.yaml'),
      'utf8',
    ),
  )
    .map(doc => doc.toJS())
    .filter(
      doc =>
        doc.metadata.name === 'sales-crm-customers' ||
        doc.spec?.dataProduct === 'sales-crm-customers',
    );
  for (const doc of docs) {
    if (doc.kind === 'OutputPort') {
      doc.spec.refresh = {
        schedule: { every: 'PT1H' },
        freshness: { maxAge: 'PT24H' },
      };
    }
  }
  return docs.map(doc => JSON.stringify(doc)).join('\n---\n');
}

describe('Refresh now with real users and the real policy', () => {
  let warehouse: TestWarehouse;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  // Before TestDatabases registers its own clean-up, which closes the
  // connections: the backend stops first (its task workers poll them).
  afterAll(async () => {
    await backend?.stop();
    await warehouse?.cleanup();
  });
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });
  const database = databasePerPlugin(databases);
  const fixtures = createMockDirectory();
  let server: Server;
  const tokens: Record<string, string> = {};
  const as = (user: string) => ({ Authorization: `Bearer ${tokens[user]}` });

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 50 });
    await warehouse.engine.apply(demoRequest('sales-crm-customers'));
    fixtures.setContent({ 'crm.yaml': crmCustomersYaml() });
    const users = ['ana.sales', 'mark.marketing'].map(
      name => `user:default/${name}`,
    );
    backend = await startTestBackend({
      features: [
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        schedulerServiceFactory,
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
            catalog: testCatalogConfig({
              files: ['catalog-info/org.yaml', fixtures.resolve('crm.yaml')],
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
    // The port and its product, processed with their relations.
    while (
      (await request(server).get(`${PORT_URL}/freshness`).set(as('ana.sales')))
        .status !== 200
    ) {
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  });

  it("refuses another team's Refresh now with 403 naming the permission, and changes nothing", async () => {
    const snapshot = await catalogSnapshot(warehouse.knex, warehouse.prefix);
    const builds = await warehouse.engine.builds(['sales-crm-customers']);
    const res = await request(server)
      .post(`${PORT_URL}/refresh`)
      .set(as('mark.marketing'));
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        "You are not allowed to refresh data product dataproduct:default/sales-crm-customers: permission dataproduct.refresh was denied. Ask a member of the product's owner group or a data product administrator.",
    });
    expect(await warehouse.engine.builds(['sales-crm-customers'])).toEqual(
      builds,
    );
    expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
      snapshot,
    );
    const freshness = await request(server)
      .get(`${PORT_URL}/freshness`)
      .set(as('mark.marketing'));
    expect(freshness.body.runs).toEqual([]);
  });

  it("refreshes for the product's owner: a new build, with the new source rows", async () => {
    await warehouse.knex('sources.crm_customers').insert({
      id: 900002,
      first_name: 'Ada',
      last_name: 'Owner',
      email: 'ada.owner@example.com',
      signup_date: '2026-11-30',
    });
    const res = await request(server)
      .post(`${PORT_URL}/refresh`)
      .set(as('ana.sales'));
    expect(res.status).toBe(200);
    expect(res.body.run).toMatchObject({
      trigger: 'manual',
      actor: 'user:default/ana.sales',
      outcome: 'succeeded',
      rows: 51,
    });
    expect(res.body.freshness).toMatchObject({
      state: 'fresh',
      maxAge: 'PT24H',
      schedule: 'every PT1H',
    });
    const added = await warehouse
      .knex('sales_crm.customers')
      .where({ id: 900002 })
      .first();
    expect(added).toMatchObject({ first_name: 'Ada' });
  });

  it("answers a product's freshness with its ports, found through the real catalog's relations", async () => {
    const product = 'dataproduct:default/sales-crm-customers';
    const port = 'outputport:default/sales-crm-customers-customers';
    const list = await request(server)
      .get('/api/data-products/freshness')
      .query({ entityRef: product })
      .set(as('mark.marketing'));
    expect(list.status).toBe(200);
    expect(list.body.products).toEqual([
      expect.objectContaining({
        product,
        state: 'fresh',
        ports: [expect.objectContaining({ port, state: 'fresh' })],
      }),
    ]);
    const one = await request(server)
      .get('/api/data-products/products/default/sales-crm-customers/freshness')
      .set(as('mark.marketing'));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ product, state: 'fresh' });
  });
});
