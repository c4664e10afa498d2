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
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModuleDataProducts from '@dataproducts/plugin-catalog-backend-module-data-products';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the demo runs against the whole portal
import dataProductsPlugin from '@dataproducts/plugin-data-products-backend';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  catalogSnapshot,
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
  type TestWarehouse,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import type { Knex } from 'knex';
import { spawn } from 'node:child_process';
import path from 'node:path';

// `./portal demo` stops before changing anything when another product holds
// one of its schemas, and says which and how to go on: scripts/demo.mjs run
// against a portal (the real catalog and data-products backend) whose
// registry and warehouse hold a product made by hand with schema sales_crm.

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../../../..');

interface Conflict {
  demo: string;
  what: string;
  holder: string;
  deletable?: string;
}

// The demo's own module, as `./portal demo` loads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const preflight: {
  findConflicts(input: unknown): Conflict[];
  explainConflicts(conflicts: Conflict[], portalUrl: string): string;
} = require(path.join(ROOT, 'scripts/lib/demoPreflight.mjs'));

/** Sales CRM Customers made by hand under another name, with the suggested schema. */
function crmByHand(): {
  product: DataProductEntityV1alpha1;
  ports: OutputPortEntityV1alpha1[];
} {
  const { product, ports } = demoRequest('sales-crm-customers');
  return {
    product: {
      ...product,
      metadata: { name: 'crm-by-hand', title: 'CRM by hand' },
    },
    ports: ports.map(port => ({
      ...port,
      metadata: { ...port.metadata, name: 'crm-by-hand-customers' },
      spec: { ...port.spec, dataProduct: 'crm-by-hand' },
    })),
  };
}

function runDemo(
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return new Promise(resolve => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'scripts/demo.mjs'), '--provision-only'],
      { cwd: ROOT, env: { ...process.env, ...env } },
    );
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    child.on('exit', code => resolve({ code: code ?? 1, output }));
  });
}

describe('the demo when its schemas are held', () => {
  it('names the holder of each schema and entity name, and how to go on', () => {
    const demo = [
      {
        name: 'sales-crm-customers',
        title: 'Sales CRM Customers',
        schema: 'sales_crm',
        entityNames: ['sales-crm-customers', 'sales-crm-customers-customers'],
      },
      {
        name: 'sales-erp-orders',
        title: 'Sales ERP Orders',
        schema: 'sales_erp',
        entityNames: ['sales-erp-orders', 'sales-erp-orders-orders'],
      },
    ];
    const conflicts = preflight.findConflicts({
      demo,
      registered: [
        { name: 'sales-crm-customers', schema: 'sales_crm' },
        { name: 'crm-by-hand', title: 'CRM by hand', schema: 'sales_crm' },
      ],
      warehouseProducts: [
        { product: 'crm-by-hand', schema: 'sales_crm' },
        { product: 'sales-crm-customers', schema: 'sales_crm' },
      ],
      warehouseSchemas: ['sales_crm', 'sales_erp'],
      catalogEntities: [
        {
          ref: 'dataproduct:default/sales-crm-customers',
          location: 'data-products-registry:sales-crm-customers',
        },
        {
          ref: 'outputport:default/sales-erp-orders-orders',
          location: 'file:/catalog/erp.yaml',
        },
      ],
    });
    expect(conflicts).toEqual([
      {
        demo: 'Sales CRM Customers',
        what: 'schema sales_crm',
        holder:
          'data product crm-by-hand (CRM by hand), registered in the portal',
        deletable: 'crm-by-hand',
      },
      {
        demo: 'Sales ERP Orders',
        what: 'schema sales_erp',
        holder:
          'a schema the portal did not make (created in PostgreSQL directly)',
      },
      {
        demo: 'Sales ERP Orders',
        what: 'entity outputport:default/sales-erp-orders-orders',
        holder: 'the catalog location file:/catalog/erp.yaml',
      },
    ]);
    expect(preflight.explainConflicts([], 'http://portal')).toContain(
      'Nothing was changed.',
    );
    expect(
      preflight.findConflicts({
        demo,
        registered: [{ name: 'sales-crm-customers', schema: 'sales_crm' }],
        warehouseProducts: [
          { product: 'sales-crm-customers', schema: 'sales_crm' },
        ],
        warehouseSchemas: ['sales_crm'],
        catalogEntities: [],
      }),
    ).toEqual([]);
  });

  describe('against a running portal', () => {
    let warehouse: TestWarehouse;
    let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
    // Before TestDatabases registers its own clean-up, which closes the
    // connections: the backend stops first (its scheduler polls them).
    afterAll(async () => {
      await backend?.stop();
      await warehouse?.cleanup();
    });
    const databases = createWarehouseTestDatabases();

    it('stops before its first task, naming crm-by-hand as the holder of sales_crm, and changes nothing', async () => {
      warehouse = await createTestWarehouse(databases, { customers: 20 });
      const byHand = crmByHand();
      await warehouse.engine.apply({ ...byHand, inputs: [] });
      const pluginDbs: Knex[] = [];
      backend = await startTestBackend({
        features: [
          createServiceFactory({
            service: coreServices.database,
            deps: {},
            factory: async () => {
              const knex = await databases.init(warehouseTestDatabaseId());
              pluginDbs.push(knex);
              return { getClient: async () => knex };
            },
          }),
          schedulerServiceFactory,
          createServiceFactory({
            service: warehouseServiceRef,
            deps: {},
            factory: () => warehouse.engine,
          }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                processingInterval: { seconds: 1 },
                rules: [
                  {
                    allow: [
                      'Domain',
                      'Group',
                      'User',
                      'System',
                      'Resource',
                      'Location',
                      'Template',
                      'DataProduct',
                      'OutputPort',
                    ],
                  },
                ],
                locations: [
                  {
                    type: 'file',
                    target: path.join(ROOT, 'catalog-info/all.yaml'),
                  },
                ],
              },
            },
          }),
          catalogPlugin,
          catalogModuleTemplateKind,
          catalogModuleDataProducts,
          dataProductsPlugin,
        ],
      });
      const port = backend.server.port();
      const token = mockCredentials.user.token();
      // The registry checks the owner and the domain in the catalog.
      for (const ref of ['group/default/sales', 'domain/default/sales']) {
        while (
          (
            await fetch(
              `http://localhost:${port}/api/catalog/entities/by-name/${ref}`,
              { headers: { Authorization: `Bearer ${token}` } },
            )
          ).status !== 200
        ) {
          await new Promise(resolve => setTimeout(resolve, 250));
        }
      }
      const registered = await fetch(
        `http://localhost:${port}/api/data-products/registry/products/crm-by-hand`,
        {
          method: 'PUT',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify(byHand),
        },
      );
      expect(registered.status).toBe(201);
      const before = await catalogSnapshot(warehouse.knex, warehouse.prefix);

      const connection = warehouse.knex.client.config.connection as {
        host: string;
        port: number;
        user: string;
        password: string;
        database: string;
      };
      const { code, output } = await runDemo({
        PORTAL_URL: `http://localhost:${port}`,
        PORTAL_TOKEN: token,
        POSTGRES_HOST: connection.host,
        POSTGRES_PORT: String(connection.port),
        POSTGRES_USER: connection.user,
        POSTGRES_PASSWORD: connection.password,
        WAREHOUSE_DATABASE: connection.database,
      });
      expect(code).toBe(1);
      expect(output).toContain(
        'Sales CRM Customers: schema sales_crm is held by data product crm-by-hand (CRM by hand), registered in the portal',
      );
      expect(output).toContain(
        `delete crm-by-hand from its page (http://localhost:${port}/catalog/default/dataproduct/crm-by-hand, Delete data product in the menu)`,
      );
      expect(output).toContain('Nothing was changed.');
      expect(output).not.toMatch(/^Sales CRM Customers →/m);
      expect(await catalogSnapshot(warehouse.knex, warehouse.prefix)).toEqual(
        before,
      );
    });
  });
});
