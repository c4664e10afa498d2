import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  ColumnImpact,
  ColumnLineageReach,
  PortColumnLineage,
} from '@dataproducts/plugin-data-products-common';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  createTestWarehouse,
  createWarehouseTestDatabases,
  provisionDemo,
  TestWarehouse,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import request from 'supertest';
import { dataProductsPlugin } from '../plugin';
import { demoCatalog } from '../testUtils/demoCatalog';

jest.setTimeout(120_000);

const ACTIVITY = 'outputport:default/marketing-customer-360-customer-activity';
const CUSTOMERS = 'outputport:default/sales-crm-customers-customers';

describe('column lineage endpoints', () => {
  let warehouse: TestWarehouse;
  const stops: Array<() => Promise<void>> = [];
  // Declared before the test databases, whose own afterAll closes them.
  afterAll(async () => {
    for (const stop of stops) await stop();
    await warehouse?.cleanup();
  });
  const databases = createWarehouseTestDatabases();

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 50 });
    await provisionDemo(warehouse.engine);
  });

  async function startPortal(entities: Entity[]) {
    const backend = await startTestBackend({
      features: [
        createServiceFactory({
          service: coreServices.database,
          deps: {},
          factory: async () => {
            const knex = await databases.init(warehouseTestDatabaseId());
            return { getClient: async () => knex };
          },
        }),
        catalogServiceMock.factory({ entities }),
        createServiceFactory({
          service: warehouseServiceRef,
          deps: {},
          factory: () => warehouse.engine,
        }),
        dataProductsPlugin,
      ],
    });
    stops.push(() => backend.stop());
    return request(backend.server);
  }

  const direct = (reach: ColumnLineageReach[]) =>
    reach
      .filter(r => r.transformations.some(t => t.type === 'DIRECT'))
      .map(r => `${r.id} ${r.transformations.map(t => t.subtype).join(',')}`)
      .sort();

  it("answers customer_activity's columns back to the source tables' columns", async () => {
    const server = await startPortal(demoCatalog());
    const res = await server.get(
      '/api/data-products/ports/default/marketing-customer-360-customer-activity/columns',
    );
    expect(res.status).toBe(200);
    const body: PortColumnLineage = res.body;
    expect(body.port).toBe(ACTIVITY);
    expect(body.columns.map(c => c.name)).toEqual([
      'customer_id',
      'customer_name',
      'customer_email',
      'account_age_days',
      'order_id',
      'order_total',
      'days_from_order_to_ship',
      'delivery_status',
    ]);
    const column = (name: string) => body.columns.find(c => c.name === name)!;
    expect(direct(column('customer_name').upstream)).toEqual([
      `${CUSTOMERS}#first_name TRANSFORMATION`,
      `${CUSTOMERS}#last_name TRANSFORMATION`,
      'resource:default/crm-customers#first_name TRANSFORMATION',
      'resource:default/crm-customers#last_name TRANSFORMATION',
    ]);
    expect(direct(column('order_total').upstream)).toEqual([
      'outputport:default/sales-erp-orders-orders#total_amount IDENTITY',
      'resource:default/erp-orders#total_amount IDENTITY',
    ]);
    expect(direct(column('delivery_status').upstream)).toEqual([
      'outputport:default/logistics-wms-shipments-shipments#delivery_status IDENTITY',
      'resource:default/wms-shipments#delivery_status IDENTITY',
    ]);
    expect(direct(column('account_age_days').upstream)).toEqual([
      `${CUSTOMERS}#signup_date TRANSFORMATION`,
      'resource:default/crm-customers#signup_date TRANSFORMATION',
    ]);
    // The join keys are indirect inputs of every column.
    expect(
      column('customer_name')
        .upstream.filter(r => r.transformations.some(t => t.subtype === 'JOIN'))
        .map(r => r.id),
    ).toContain(`${CUSTOMERS}#id`);
    expect(body.fields.find(f => f.id === `${CUSTOMERS}#first_name`)).toEqual({
      id: `${CUSTOMERS}#first_name`,
      entityRef: CUSTOMERS,
      kind: 'OutputPort',
      title: 'customers',
      relation: 'sales_crm.customers',
      column: 'first_name',
      distance: -1,
    });
    expect(
      body.fields.find(
        f => f.id === 'resource:default/crm-customers#first_name',
      ),
    ).toMatchObject({
      kind: 'Resource',
      title: 'sources.crm_customers',
      relation: 'sources.crm_customers',
      distance: -2,
    });
    expect(body.truncated).toBe(false);
    expect(body.builtAt).toEqual(expect.any(String));
  });

  it("answers a source port's consumers' columns and a column's impact with product and owner", async () => {
    const server = await startPortal(demoCatalog());
    const res = await server.get(
      '/api/data-products/ports/default/sales-crm-customers-customers/columns',
    );
    expect(res.status).toBe(200);
    const body: PortColumnLineage = res.body;
    const email = body.columns.find(c => c.name === 'email')!;
    expect(email.upstream).toEqual([
      {
        id: 'resource:default/crm-customers#email',
        hops: 1,
        transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
      },
    ]);
    expect(direct(email.downstream)).toEqual([
      `${ACTIVITY}#customer_email IDENTITY`,
    ]);

    const impact = await server.get(
      '/api/data-products/ports/default/sales-crm-customers-customers/columns/email/impact',
    );
    expect(impact.status).toBe(200);
    const { consumers }: ColumnImpact = impact.body;
    expect(
      consumers.filter(c => c.transformations.some(t => t.type === 'DIRECT')),
    ).toEqual([
      {
        port: ACTIVITY,
        portTitle: 'customer_activity',
        column: 'customer_email',
        product: 'dataproduct:default/marketing-customer-360',
        productTitle: 'Marketing Customer 360',
        owner: 'group:default/marketing',
        hops: 1,
        transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
      },
    ]);
  });

  it('leaves out what the caller cannot see, and answers a hidden port as absent', async () => {
    const hidden = demoCatalog().filter(
      e =>
        e.metadata.name !== 'marketing-customer-360-customer-activity' &&
        e.metadata.name !== 'crm-customers',
    );
    const server = await startPortal(hidden);
    const impact = await server.get(
      '/api/data-products/ports/default/sales-crm-customers-customers/columns/email/impact',
    );
    expect(impact.status).toBe(200);
    expect(impact.body.consumers).toEqual([]);

    const columns = await server.get(
      '/api/data-products/ports/default/sales-crm-customers-customers/columns',
    );
    const ids: string[] = columns.body.fields.map((f: { id: string }) => f.id);
    expect(ids.filter(id => id.startsWith(ACTIVITY))).toEqual([]);
    // The source table stays a table when no Resource the caller sees names it.
    expect(ids).toContain('table:sources.crm_customers#email');

    const asked = await server.get(
      '/api/data-products/ports/default/marketing-customer-360-customer-activity/columns',
    );
    expect(asked.status).toBe(404);
    expect(asked.body.error.message).toBe(
      `No OutputPort '${ACTIVITY}' in the catalog`,
    );
  });

  it('names the bad value of a refused request, without a stack trace', async () => {
    const server = await startPortal(demoCatalog());
    const column = await server.get(
      '/api/data-products/ports/default/sales-crm-customers-customers/columns/e%20mail/impact',
    );
    expect(column.status).toBe(400);
    expect(column.body.error.message).toBe(
      "Output port 'customers' of data product 'sales-crm-customers' has no column 'e mail'; its columns are id, first_name, last_name, email, signup_date",
    );
    expect(column.body.error.stack).toBeUndefined();

    const depth = await server.get(
      '/api/data-products/ports/default/sales-crm-customers-customers/columns?upstream=-1',
    );
    expect(depth.status).toBe(400);
    expect(depth.body.error.message).toBe(
      "Invalid upstream '-1': give a whole number of hops from 0 to 25",
    );
    const deep = await server.get(
      '/api/data-products/ports/default/sales-crm-customers-customers/columns?downstream=99',
    );
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toBe(
      "Invalid downstream depth '99': give a whole number from 0 to 25",
    );

    const product = await server.get(
      '/api/data-products/ports/default/sales-crm-customers/columns',
    );
    expect(product.status).toBe(404);

    const anonymous = await server
      .get(
        '/api/data-products/ports/default/sales-crm-customers-customers/columns',
      )
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });
});
