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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import catalogModuleDataProducts from '@dataproducts/plugin-catalog-backend-module-data-products';
import { validateOdcsContract } from '@dataproducts/plugin-data-products-common';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the contract endpoint reads the real catalog
import dataProductsPlugin from '@dataproducts/plugin-data-products-backend';
import {
  parseOdcsYaml,
  warehouseServiceRef,
} from '@dataproducts/plugin-data-products-node';
import {
  createWarehouseTestDatabases,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import type { Knex } from 'knex';
import path from 'node:path';
import { createActionTestWarehouse } from '../__testUtils__/warehouse';
import { waitFor } from '../lib/waitFor';

// What a caller the permission policy does not let read an output port sees
// of its contract: the real catalog, reading the demo products from their
// YAML, filters the port out for that caller, and the contract endpoint
// answers exactly as for a port that does not exist.

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../../../..');
const PORT_REF = 'outputport:default/sales-crm-customers-customers';
const PRODUCT_REF = 'dataproduct:default/sales-crm-customers';
const CONTRACT_URL =
  '/api/data-products/contracts/sales-crm-customers-customers.yaml';

describe('an output port contract and catalog read permission', () => {
  let stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });
  const databases = createWarehouseTestDatabases();
  let warehouse: Awaited<ReturnType<typeof createActionTestWarehouse>>;

  beforeAll(async () => {
    warehouse = await createActionTestWarehouse(databases);
    await warehouse.provisionDemo();
    stops.push(() => warehouse.cleanup());
  });

  /** The portal with the real catalog, and catalog reads allowed or denied to users. */
  async function startPortal(read: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
    const pluginDbs = new Map<string, Knex>();
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
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['DataProduct', 'OutputPort', 'Location'] }],
              locations: [
                {
                  type: 'file',
                  target: path.join(ROOT, 'fixtures/demo-data-products.yaml'),
                },
              ],
            },
          },
        }),
        mockServices.permissions.factory({ result: read }),
        createServiceFactory({
          service: warehouseServiceRef,
          deps: {},
          factory: () => warehouse.warehouse,
        }),
        catalogPlugin,
        catalogModuleDataProducts,
        dataProductsPlugin,
      ],
    });
    stops = [async () => backend.stop(), ...stops];
    // The catalog has processed the port and its product: their stitched
    // entities are in the catalog's own tables.
    const catalogDb = pluginDbs.get('catalog')!;
    await waitFor(
      async () => {
        const rows = await catalogDb('final_entities')
          .join(
            'refresh_state',
            'refresh_state.entity_id',
            'final_entities.entity_id',
          )
          .whereIn('refresh_state.entity_ref', [PORT_REF, PRODUCT_REF])
          .whereNotNull('final_entities.final_entity')
          .select('refresh_state.entity_ref');
        return rows.length === 2 ? true : undefined;
      },
      {
        timeoutMs: 120_000,
        intervalMs: 500,
        onTimeout: () =>
          new Error(`the catalog never processed ${PORT_REF} and its product`),
      },
    );
    const port = backend.server.port();
    return {
      get: async (url: string) => {
        const response = await fetch(`http://localhost:${port}${url}`, {
          headers: { Authorization: `Bearer ${mockCredentials.user.token()}` },
        });
        const text = await response.text();
        const isJson = response.headers
          .get('content-type')
          ?.startsWith('application/json');
        return {
          status: response.status,
          text,
          body: isJson ? JSON.parse(text) : {},
        };
      },
    };
  }

  it('answers the contract to a caller allowed to read the port', async () => {
    const server = await startPortal(AuthorizeResult.ALLOW);
    const res = await server.get(CONTRACT_URL);
    expect(res.body.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(validateOdcsContract(parseOdcsYaml(res.text))).toEqual([]);
  });

  it('answers 404, as for an unknown port, to a caller the policy denies', async () => {
    const server = await startPortal(AuthorizeResult.DENY);
    const denied = await server.get(CONTRACT_URL);
    const unknown = await server.get(
      '/api/data-products/contracts/no-such-port.yaml',
    );
    expect(denied.status).toBe(404);
    expect(denied.body.error).toEqual({
      name: 'NotFoundError',
      message: `No output port ${PORT_REF} in the catalog: check the namespace and name (the entity name, e.g. sales-crm-customers-customers)`,
    });
    expect(unknown.status).toBe(404);
    expect(denied.text).not.toMatch(/DataContract|sales_crm/);
  });
});
