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
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import catalogModuleDataProducts from '@dataproducts/plugin-catalog-backend-module-data-products';
import dataProductsPlugin from '@dataproducts/plugin-data-products-backend';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  catalogSnapshot,
  createTestWarehouse,
  demoRequest,
  provisionDemo,
  type TestWarehouse,
} from '@dataproducts/plugin-data-products-node/testUtils';
import permissionModuleDataProductsPolicy from '@dataproducts/plugin-permission-backend-module-data-products';
import request from 'supertest';
import { eventually, testCatalogConfig } from './__testUtils__/catalogConfig';
import { databasePerPlugin } from './__testUtils__/databasePerPlugin';
import { sharedEvents } from './__testUtils__/sharedEvents';
import { authModuleDemoUserSignIn } from './modules/demoUserSignIn';

// The lifecycle of registered data products as the portal runs it: real
// sign-in, the real catalog with the registry's entity provider, the real
// permission backend with the portal's policy, real notifications, and a
// real PostgreSQL warehouse with the demo provisioned. Every way to delete a
// product is tried: the catalog's Unregister (refused), Delete while
// consumers remain (refused) and Delete once none remains (decommissioned).

jest.setTimeout(240_000);

type Server = Parameters<typeof request>[0];

const productUrl = (name: string) =>
  `/api/data-products/products/default/${name}`;

/** A date `days` from today, YYYY-MM-DD. */
const inDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('the lifecycle of registered data products', () => {
  let warehouse: TestWarehouse;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
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

  const registryRow = async (name: string) =>
    database
      .knexOf('data-products')('data_product_registry')
      .where({ name })
      .first();

  const catalogEntity = (kind: string, name: string) =>
    request(server)
      .get(`/api/catalog/entities/by-name/${kind}/default/${name}`)
      .set(as('ana.sales'));

  async function register(user: string, name: string) {
    const { product, ports } = demoRequest(name);
    const res = await request(server)
      .put(`/api/data-products/registry/products/${name}`)
      .set(as(user))
      .send({ product, ports });
    if (res.status !== 201) {
      throw new Error(`${user} could not register ${name}: ${res.text}`);
    }
    await eventually(async () =>
      (await catalogEntity('dataproduct', name)).status === 200
        ? true
        : undefined,
    );
  }

  const schemaExists = async (schema: string) =>
    (
      await warehouse.knex.raw(
        'SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?',
        [schema],
      )
    ).rows.length > 0;

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 50 });
    await provisionDemo(warehouse.engine);

    fixtures.setContent({
      'scratch.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: scratch }
spec: { type: service, lifecycle: experimental, owner: group:sales }
---
apiVersion: dataproducts.io/v1alpha1
kind: DataProduct
metadata: { name: file-product, title: File Product }
spec:
  type: source-aligned
  lifecycle: production
  owner: group:sales
  domain: sales
  schema: file_product
  inputs: [resource:crm-customers]
`,
    });
    const users = ['ana.sales', 'mark.marketing', 'dana.platform'].map(
      name => `user:default/${name}`,
    );
    backend = await startTestBackend({
      features: [
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        // The real scheduler: the registry's entity provider runs every few seconds.
        schedulerServiceFactory,
        database,
        sharedEvents(),
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
            },
            catalog: testCatalogConfig({
              files: [
                'catalog-info/org.yaml',
                'catalog-info/resources.yaml',
                fixtures.resolve('scratch.yaml'),
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
        await new Promise(resolve => setTimeout(resolve, 250));
        res = await request(server)
          .get('/api/auth/demoUsers/refresh')
          .set('x-portal-user', user);
      }
      tokens[user.split('/')[1]] = res.body.backstageIdentity.token;
    }

    await register('ana.sales', 'sales-crm-customers');
    await register('ana.sales', 'sales-erp-orders');
    await register('mark.marketing', 'marketing-customer-360');
  });

  it("refuses the catalog's Unregister of a registered product, to its owner and to an admin, and changes nothing", async () => {
    const before = await catalogSnapshot(warehouse.knex, warehouse.prefix);
    for (const [kind, name] of [
      ['dataproduct', 'sales-crm-customers'],
      ['outputport', 'sales-crm-customers-customers'],
    ]) {
      const entity = await catalogEntity(kind, name);
      expect(entity.status).toBe(200);
      for (const user of ['ana.sales', 'dana.platform']) {
        const res = await request(server)
          .delete(`/api/catalog/entities/by-uid/${entity.body.metadata.uid}`)
          .set(as(user));
        expect(res.status).toBe(403);
      }
      expect((await catalogEntity(kind, name)).status).toBe(200);
    }
    expect(await registryRow('sales-crm-customers')).toBeDefined();
    expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
      before,
    );

    // Entities from catalog files can still be unregistered.
    const scratch = await catalogEntity('component', 'scratch');
    const removed = await request(server)
      .delete(`/api/catalog/entities/by-uid/${scratch.body.metadata.uid}`)
      .set(as('ana.sales'));
    expect(removed.status).toBe(204);
  });

  it('refuses to deprecate or delete a product defined in a catalog file, naming the file', async () => {
    await eventually(async () =>
      (await catalogEntity('dataproduct', 'file-product')).status === 200
        ? true
        : undefined,
    );
    const deprecate = await request(server)
      .post(`${productUrl('file-product')}/deprecate`)
      .set(as('ana.sales'))
      .send({ sunset: inDays(30) });
    expect(deprecate.status).toBe(409);
    expect(deprecate.body.error.message).toBe(
      `Data product dataproduct:default/file-product is defined in file:${fixtures.resolve(
        'scratch.yaml',
      )}, not in the portal's registry: the portal cannot deprecate it. Edit that file (spec.lifecycle, spec.deprecation) or remove it from the catalog's locations, and run dataproduct:decommission to drop it from the warehouse.`,
    );
    const remove = await request(server)
      .delete(productUrl('file-product'))
      .set(as('ana.sales'));
    expect(remove.status).toBe(409);
    expect(remove.body.error.message).toContain('the portal cannot delete it');
  });

  it('lists the consumers of a product: declared inputs and warehouse grants', async () => {
    const res = await request(server)
      .get(`${productUrl('sales-crm-customers')}/consumers`)
      .set(as('mark.marketing'));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        ref: 'dataproduct:default/marketing-customer-360',
        kind: 'dataproduct',
        title: 'Marketing Customer 360',
        owner: 'group:default/marketing',
        ports: ['outputport:default/sales-crm-customers-customers'],
        via: ['input', 'grant'],
      },
    ]);
  });

  it('deprecates for the owners only, checking the sunset and the replacement, and tells the consumers', async () => {
    const url = `${productUrl('sales-crm-customers')}/deprecate`;
    const before = await registryRow('sales-crm-customers');

    const foreign = await request(server)
      .post(url)
      .set(as('mark.marketing'))
      .send({ sunset: inDays(30) });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toContain(
      'permission dataproduct.update was denied',
    );

    const past = await request(server)
      .post(url)
      .set(as('ana.sales'))
      .send({ sunset: '2020-01-31' });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toMatch(
      /^Invalid sunset 2020-01-31: it is in the past \(today is \d{4}-\d\d-\d\d\); give today or a later date$/,
    );
    const notADate = await request(server)
      .post(url)
      .set(as('ana.sales'))
      .send({ sunset: '2027-02-30' });
    expect(notADate.body.error.message).toBe(
      'Invalid sunset "2027-02-30": give a calendar date as YYYY-MM-DD',
    );
    const missing = await request(server)
      .post(url)
      .set(as('ana.sales'))
      .send({ sunset: inDays(30), replacement: 'dataproduct:nowhere' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe(
      'Invalid replacement dataproduct:default/nowhere: the catalog has no such entity; pick an existing data product or output port',
    );
    expect(await registryRow('sales-crm-customers')).toEqual(before);

    const sunset = inDays(30);
    const res = await request(server).post(url).set(as('ana.sales')).send({
      sunset,
      replacement: 'sales-erp-orders',
      reason: 'The CRM moves to the ERP.',
    });
    expect(res.status).toBe(200);
    const deprecation = {
      sunset,
      replacement: 'dataproduct:default/sales-erp-orders',
      reason: 'The CRM moves to the ERP.',
    };
    expect(res.body.product.spec).toMatchObject({
      lifecycle: 'deprecated',
      deprecation,
    });
    const entity = await eventually(async () => {
      const e = await catalogEntity('dataproduct', 'sales-crm-customers');
      return e.body.spec?.lifecycle === 'deprecated' ? e.body : undefined;
    });
    expect(entity.spec.deprecation).toEqual(deprecation);

    const notifications = await request(server)
      .get('/api/notifications')
      .set(as('mark.marketing'));
    expect(
      notifications.body.notifications.map(
        (n: { payload: { title: string; description: string } }) => n.payload,
      ),
    ).toContainEqual(
      expect.objectContaining({
        title: `Sales CRM Customers is deprecated: sunset on ${sunset}`,
        description:
          'Move to dataproduct:default/sales-erp-orders before then. The CRM moves to the ERP.',
      }),
    );
    const history = await request(server)
      .get(`${productUrl('sales-crm-customers')}/history`)
      .set(as('ana.sales'));
    expect(history.body.events[0]).toMatchObject({
      action: 'deprecate',
      actor: 'user:default/ana.sales',
      outcome: 'succeeded',
    });
  });

  it('refuses to delete a product while consumers remain, naming them, and changes nothing', async () => {
    const before = await catalogSnapshot(warehouse.knex, warehouse.prefix);
    const res = await request(server)
      .delete(productUrl('sales-crm-customers'))
      .set(as('ana.sales'));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /^Cannot delete data product dataproduct:default\/sales-crm-customers: it still has 1 consumer\(s\): Marketing Customer 360 \(dataproduct:default\/marketing-customer-360\)\. It is deprecated until \d{4}-\d\d-\d\d; they must move to dataproduct:default\/sales-erp-orders first; remove them from their inputs, or revoke their access, then delete it\.$/,
    );
    // After the sunset date: still refused while consumers remain. (The
    // stored sunset is moved back, as time passing would.)
    const row = await registryRow('sales-crm-customers');
    const product = row.product;
    product.spec.deprecation.sunset = '2026-01-31';
    await database
      .knexOf('data-products')('data_product_registry')
      .where({ name: 'sales-crm-customers' })
      .update({ product: JSON.stringify(product) });
    const afterSunset = await request(server)
      .delete(productUrl('sales-crm-customers'))
      .set(as('ana.sales'));
    expect(afterSunset.status).toBe(409);
    expect(afterSunset.body.error.message).toBe(
      'Cannot delete data product dataproduct:default/sales-crm-customers: it still has 1 consumer(s): Marketing Customer 360 (dataproduct:default/marketing-customer-360). Its sunset date 2026-01-31 has passed, but they must stop reading it first; remove them from their inputs, or revoke their access, then delete it.',
    );

    const foreign = await request(server)
      .delete(productUrl('marketing-customer-360'))
      .set(as('ana.sales'));
    expect(foreign.status).toBe(403);
    expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
      before,
    );
    expect(await registryRow('sales-crm-customers')).toBeDefined();
  });

  it('deletes a product without consumers for real: schema, roles and grants gone, and the catalog drops it and its port', async () => {
    const res = await request(server)
      .delete(productUrl('marketing-customer-360'))
      .set(as('mark.marketing'));
    expect(res.status).toBe(204);
    expect(await schemaExists('marketing_360')).toBe(false);
    const roles = await warehouse.knex.raw(
      'SELECT rolname FROM pg_catalog.pg_roles WHERE starts_with(rolname, ?)',
      [`${warehouse.prefix}marketing_360`],
    );
    expect(roles.rows).toEqual([]);
    const grants = await warehouse.knex.raw(
      `SELECT 1 FROM pg_catalog.pg_auth_members m
         JOIN pg_catalog.pg_roles u ON u.oid = m.member
        WHERE starts_with(u.rolname, ?)`,
      [`${warehouse.prefix}marketing_360`],
    );
    expect(grants.rows).toEqual([]);
    expect(await registryRow('marketing-customer-360')).toBeUndefined();
    await eventually(async () =>
      (await catalogEntity('dataproduct', 'marketing-customer-360')).status ===
        404 &&
      (
        await catalogEntity(
          'outputport',
          'marketing-customer-360-customer-activity',
        )
      ).status === 404
        ? true
        : undefined,
    );
  });

  it('counts a group that reads a port as a consumer; once its access is revoked the product can be deleted', async () => {
    const access = {
      product: 'sales-erp-orders',
      port: 'orders',
      consumer: { kind: 'group', name: 'marketing' },
    } as const;
    await warehouse.engine.grant(access);
    const refused = await request(server)
      .delete(productUrl('sales-erp-orders'))
      .set(as('ana.sales'));
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(
      'it still has 1 consumer(s): Marketing (group:default/marketing). Deprecate it with a sunset date and a replacement so that they are told to move',
    );
    expect(await schemaExists('sales_erp')).toBe(true);

    await warehouse.engine.revoke(access);
    const deleted = await request(server)
      .delete(productUrl('sales-erp-orders'))
      .set(as('ana.sales'));
    expect(deleted.status).toBe(204);
    expect(await schemaExists('sales_erp')).toBe(false);
  });

  it('registers a deleted product again without a restart', async () => {
    const res = await request(server)
      .delete(productUrl('sales-crm-customers'))
      .set(as('ana.sales'));
    expect(res.status).toBe(204);
    await eventually(async () =>
      (await catalogEntity('dataproduct', 'sales-crm-customers')).status === 404
        ? true
        : undefined,
    );

    await warehouse.engine.apply(demoRequest('sales-crm-customers'));
    await register('ana.sales', 'sales-crm-customers');
    const entity = await catalogEntity('dataproduct', 'sales-crm-customers');
    expect(entity.body.spec.lifecycle).toBe('production');
    expect(await schemaExists('sales_crm')).toBe(true);
  });
});
