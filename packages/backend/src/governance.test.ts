import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
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
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  dataProductPermissions,
  type DataProductEntityV1alpha1,
  type OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
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
import scaffolderModuleDataProducts from '@dataproducts/plugin-scaffolder-backend-module-data-products';
import path from 'node:path';
import request from 'supertest';
import { databasePerPlugin } from './__testUtils__/databasePerPlugin';
import { authModuleDemoUserSignIn } from './modules/demoUserSignIn';

// Data product governance as the portal runs it: users sign in through the
// real auth backend (demo-user sign-in), the real permission backend asks
// the data products policy, and the data products backend applies its
// conditions, for the registry's routes and for the scaffolder's tasks; the
// warehouse is real PostgreSQL with the demo provisioned.

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../../..');

type Server = Parameters<typeof request>[0];

const registryUrl = (name: string) =>
  `/api/data-products/registry/products/${name}`;

/** A demo product's registration, with changes to its DataProduct entity. */
function registration(
  name: string,
  change: (product: DataProductEntityV1alpha1) => void = () => {},
): { product: DataProductEntityV1alpha1; ports: OutputPortEntityV1alpha1[] } {
  const { product, ports } = demoRequest(name);
  const copy = JSON.parse(JSON.stringify(product));
  change(copy);
  return { product: copy, ports };
}

describe('data product governance with real users and the real policy', () => {
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
  const registryRow = async (name: string) =>
    database
      .knexOf('data-products')('data_product_registry')
      .where({ name })
      .first();

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 50 });
    await provisionDemo(warehouse.engine);

    // Erin is in EMEA Sales, a child group of Sales: an owner of Sales'
    // products through the parent group. The template runs one action on a
    // product, as the user who starts the task.
    fixtures.setContent({
      'operations.yaml': `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: data-product-operations
spec:
  owner: group:data-platform
  type: data-product
  parameters:
    - properties:
        operation: { type: string, enum: [refresh, revoke, decommission] }
        product: { type: string }
  steps:
    - id: refresh
      if: "\${{ parameters.operation === 'refresh' }}"
      action: dataproduct:refresh
      input:
        product: "\${{ parameters.product }}"
    - id: revoke
      if: "\${{ parameters.operation === 'revoke' }}"
      action: dataproduct:revoke
      input:
        product: "\${{ parameters.product }}"
        port: customers
        consumer: marketing-customer-360
    - id: decommission
      if: "\${{ parameters.operation === 'decommission' }}"
      action: dataproduct:decommission
      input:
        product: "\${{ parameters.product }}"
        force: true
`,
      'emea.yaml': `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: emea-sales }
spec: { type: team, parent: sales, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: erin.emea }
spec: { memberOf: [emea-sales] }
`,
    });
    const users = [
      'ana.sales',
      'mark.marketing',
      'dana.platform',
      'erin.emea',
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
            },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [
                { allow: ['Domain', 'Group', 'User', 'Location', 'Template'] },
              ],
              locations: [
                {
                  type: 'file',
                  target: path.join(ROOT, 'catalog-info/org.yaml'),
                },
                { type: 'file', target: fixtures.resolve('emea.yaml') },
                { type: 'file', target: fixtures.resolve('operations.yaml') },
              ],
            },
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
        catalogModuleTemplateKind,
        scaffolderPlugin,
        scaffolderModuleDataProducts,
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

    // The catalog reads the template with the organisation, or soon after.
    while (
      (
        await request(server)
          .get(
            '/api/catalog/entities/by-name/template/default/data-product-operations',
          )
          .set(as('ana.sales'))
      ).status !== 200
    ) {
      await new Promise(resolve => setTimeout(resolve, 250));
    }

    // Each team registers its product (creating needs dataproduct.create and
    // that the product is one's own).
    for (const [user, name] of [
      ['ana.sales', 'sales-crm-customers'],
      ['mark.marketing', 'marketing-customer-360'],
    ]) {
      const res = await request(server)
        .put(registryUrl(name))
        .set(as(user))
        .send(registration(name));
      if (res.status !== 201) {
        throw new Error(`${user} could not register ${name}: ${res.text}`);
      }
    }
  });

  /** What the permission backend decides for a user on a product, per permission. */
  async function decisions(user: string, product: string) {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set(as(user))
      .send({
        items: dataProductPermissions.map(permission => ({
          id: permission.name,
          permission,
          ...(permission.type === 'resource'
            ? { resourceRef: `dataproduct:default/${product}` }
            : {}),
        })),
      });
    expect(res.status).toBe(200);
    return Object.fromEntries(
      res.body.items.map((item: { id: string; result: string }) => [
        item.id,
        item.result,
      ]),
    );
  }

  /** Runs the operations template as `user`; resolves with the task's status and log. */
  async function runTask(user: string, operation: string, product: string) {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set(as(user))
      .send({
        templateRef: 'template:default/data-product-operations',
        values: { operation, product },
      });
    expect(created.status).toBe(201);
    let task = { status: 'open' };
    while (!['completed', 'failed', 'cancelled'].includes(task.status)) {
      await new Promise(resolve => setTimeout(resolve, 250));
      task = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
          .set(as(user))
      ).body;
    }
    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set(as(user));
    const log = (events.body as Array<{ body: { message?: string } }>)
      .map(event => event.body.message ?? '')
      .join('\n');
    return { status: task.status, log };
  }

  // First: the scaffolder keeps polling a task's events for a moment after
  // it ends, and the tests after this one give it that moment before the
  // databases close.
  it("fails another team's scaffolder tasks naming the permission, leaving the warehouse as it was", async () => {
    const before = await catalogSnapshot(warehouse.knex, warehouse.prefix);
    for (const [operation, permission] of [
      ['decommission', 'dataproduct.decommission'],
      ['revoke', 'dataproduct.access.revoke'],
      ['refresh', 'dataproduct.refresh'],
    ]) {
      const task = await runTask(
        'mark.marketing',
        operation,
        'sales-crm-customers',
      );
      expect(task.status).toBe('failed');
      expect(task.log).toContain(
        `data product dataproduct:default/sales-crm-customers: permission ${permission} was denied`,
      );
    }
    expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
      before,
    );

    const refreshed = await runTask(
      'ana.sales',
      'refresh',
      'sales-crm-customers',
    );
    expect(refreshed).toMatchObject({ status: 'completed' });
    expect(refreshed.log).toContain('Refreshed sales_crm.customers');
  });
  it('stores what each owner registered, with the status the warehouse shows', async () => {
    for (const [user, name] of [
      ['ana.sales', 'sales-crm-customers'],
      ['mark.marketing', 'marketing-customer-360'],
    ]) {
      expect(await registryRow(name)).toMatchObject({
        status: 'provisioned',
        registered_by: `user:default/${user}`,
      });
    }
  });

  it('decides every permission for the owner, a member through a parent group, another team and an admin', async () => {
    const everything = Object.fromEntries(
      dataProductPermissions.map(p => [p.name, 'ALLOW']),
    );
    await expect(
      decisions('ana.sales', 'sales-crm-customers'),
    ).resolves.toEqual(everything);
    await expect(
      decisions('erin.emea', 'sales-crm-customers'),
    ).resolves.toEqual(everything);
    await expect(
      decisions('dana.platform', 'sales-crm-customers'),
    ).resolves.toEqual(everything);
    await expect(
      decisions('mark.marketing', 'sales-crm-customers'),
    ).resolves.toEqual({
      'dataproduct.create': 'ALLOW',
      'dataproduct.access.request': 'ALLOW',
      'dataproduct.update': 'DENY',
      'dataproduct.refresh': 'DENY',
      'dataproduct.decommission': 'DENY',
      'dataproduct.access.approve': 'DENY',
      'dataproduct.access.revoke': 'DENY',
      'dataproduct.preview': 'DENY',
    });
    await expect(
      decisions('ana.sales', 'marketing-customer-360'),
    ).resolves.toMatchObject({
      'dataproduct.update': 'DENY',
      'dataproduct.access.approve': 'DENY',
      'dataproduct.access.request': 'ALLOW',
    });
  });

  it("refuses another team's overwrite with 403 naming the permission, and changes nothing", async () => {
    const before = await registryRow('sales-crm-customers');
    const hijack = await request(server)
      .put(registryUrl('sales-crm-customers'))
      .set(as('mark.marketing'))
      .send(
        registration('sales-crm-customers', product => {
          product.spec.owner = 'group:marketing';
        }),
      );
    expect(hijack.status).toBe(403);
    expect(hijack.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        'You are not allowed to update data product dataproduct:default/sales-crm-customers: permission dataproduct.update was denied. Ask a member of its owner group:default/sales or a data product administrator.',
    });
    expect(await registryRow('sales-crm-customers')).toEqual(before);

    // Its owners may, also through a parent group.
    const renamed = await request(server)
      .put(registryUrl('sales-crm-customers'))
      .set(as('erin.emea'))
      .send(
        registration('sales-crm-customers', product => {
          product.metadata.title = 'CRM Customers';
        }),
      );
    expect(renamed.status).toBe(200);
    const row = await registryRow('sales-crm-customers');
    expect(row.product.metadata.title).toBe('CRM Customers');
    expect(row.registered_by).toBe('user:default/erin.emea');
  });

  it("refuses to create a product in another team's name", async () => {
    const foreign = await request(server)
      .put(registryUrl('sales-leads'))
      .set(as('mark.marketing'))
      .send({
        product: {
          ...registration('sales-crm-customers').product,
          metadata: { name: 'sales-leads' },
          spec: {
            ...registration('sales-crm-customers').product.spec,
            schema: 'sales_leads',
          },
        },
        ports: [
          {
            ...registration('sales-crm-customers').ports[0],
            metadata: { name: 'sales-leads-customers' },
            spec: {
              ...registration('sales-crm-customers').ports[0].spec,
              dataProduct: 'sales-leads',
            },
          },
        ],
      });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toBe(
      'You are not allowed to create data product dataproduct:default/sales-leads owned by group:default/sales: you could not manage it (permission dataproduct.update on it was denied). Name one of your groups in spec.owner, or ask a data product administrator.',
    );
    expect(await registryRow('sales-leads')).toBeUndefined();
  });

  it("registers a batch only when every product in it is the caller's: one foreign product refuses the whole batch", async () => {
    const leads = (name: string) => {
      const crm = registration('sales-crm-customers');
      return {
        product: {
          ...crm.product,
          metadata: { name },
          spec: {
            ...crm.product.spec,
            owner: 'group:marketing',
            domain: 'marketing',
            schema: name.replace(/-/g, '_'),
          },
        },
        ports: [
          {
            ...crm.ports[0],
            metadata: { name: `${name}-customers` },
            spec: { ...crm.ports[0].spec, dataProduct: name },
          },
        ],
      };
    };
    const before = await registryRow('sales-crm-customers');
    const mixed = await request(server)
      .post('/api/data-products/registry/products')
      .set(as('mark.marketing'))
      .send({
        items: [
          leads('marketing-leads'),
          registration('sales-crm-customers', product => {
            product.spec.owner = 'group:marketing';
          }),
        ],
      });
    expect(mixed.status).toBe(403);
    expect(mixed.body.error.name).toBe('NotAllowedError');
    expect(mixed.body.error.message).toMatch(
      /^You are not allowed to register data products sales-crm-customers \(owned by group:sales\): permission dataproduct.create or dataproduct.update was denied; nothing was registered\./,
    );
    expect(await registryRow('sales-crm-customers')).toEqual(before);
    expect(await registryRow('marketing-leads')).toBeUndefined();

    const own = await request(server)
      .post('/api/data-products/registry/products')
      .set(as('mark.marketing'))
      .send({ items: [leads('marketing-leads'), leads('marketing-leads-eu')] });
    expect(own.status).toBe(200);
    expect(
      own.body.items.map((r: { created: boolean; item: any }) => [
        r.created,
        r.item.product.metadata.name,
        r.item.status,
        r.item.registeredBy,
      ]),
    ).toEqual([
      [
        true,
        'marketing-leads',
        'not-provisioned',
        'user:default/mark.marketing',
      ],
      [
        true,
        'marketing-leads-eu',
        'not-provisioned',
        'user:default/mark.marketing',
      ],
    ]);
    for (const name of ['marketing-leads', 'marketing-leads-eu']) {
      const removed = await request(server)
        .delete(registryUrl(name))
        .set(as('mark.marketing'));
      expect(removed.status).toBe(204);
    }
  });

  it('refuses decommissioning to another team without touching the warehouse; the owner decommissions', async () => {
    const warehouseBefore = await catalogSnapshot(
      warehouse.knex,
      warehouse.prefix,
    );
    const refused = await request(server)
      .delete(registryUrl('marketing-customer-360'))
      .set(as('ana.sales'));
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'You are not allowed to decommission data product dataproduct:default/marketing-customer-360: permission dataproduct.decommission was denied. Ask a member of its owner group:default/marketing or a data product administrator.',
    );
    const anonymous = await request(server).delete(
      registryUrl('marketing-customer-360'),
    );
    expect(anonymous.status).toBe(401);
    expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
      warehouseBefore,
    );
    expect(await registryRow('marketing-customer-360')).toBeDefined();

    const removed = await request(server)
      .delete(registryUrl('marketing-customer-360'))
      .set(as('mark.marketing'));
    expect(removed.status).toBe(204);
    expect(await registryRow('marketing-customer-360')).toBeUndefined();
    const { rows } = await warehouse.knex.raw(
      "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'marketing_360'",
    );
    expect(rows).toEqual([]);
    await warehouse.engine.apply(demoRequest('marketing-customer-360'));
  });

  it('lets an admin manage any product', async () => {
    const res = await request(server)
      .put(registryUrl('sales-crm-customers'))
      .set(as('dana.platform'))
      .send(
        registration('sales-crm-customers', product => {
          product.metadata.description = 'Curated by the data platform team.';
        }),
      );
    expect(res.status).toBe(200);
    expect(
      (await registryRow('sales-crm-customers')).product.metadata,
    ).toMatchObject({
      description: 'Curated by the data platform team.',
    });
  });
});
