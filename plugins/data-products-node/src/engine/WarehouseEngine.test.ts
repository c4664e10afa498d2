import {
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
  dropRoles,
  loadDemo,
  provisionDemo,
  uniqueRolePrefix,
  warehouseTestDatabaseId,
} from '../testUtils';
import { RoleNames } from './spec';
import { ProvisionRequest } from './types';
import { WarehouseEngine } from './WarehouseEngine';

jest.setTimeout(120_000);

/** A consumer-aligned product with one view port built from `model`. */
function viewConsumer(
  name: string,
  model: string,
  columns: Array<{ name: string; type: string }>,
  input?: { product: string; port: string },
): ProvisionRequest {
  const demo = loadDemo();
  return {
    product: {
      ...demo.products[3],
      metadata: { name },
      spec: {
        ...demo.products[3].spec,
        schema: name.replace(/-/g, '_'),
        inputs: input ? [`outputport:${input.product}-${input.port}`] : [],
      },
    },
    ports: [
      {
        ...demo.ports[3],
        metadata: { name: `${name}-emails` },
        spec: {
          ...demo.ports[3].spec,
          dataProduct: name,
          name: 'emails',
          type: 'postgres-view',
          model,
          columns,
        },
      },
    ],
    inputs: input
      ? [{ ref: `outputport:${input.product}-${input.port}`, ...input }]
      : [],
  };
}

describe('WarehouseEngine', () => {
  const databases = createWarehouseTestDatabases();

  it('provisions the four demo products from their entity definitions', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      const results = await provisionDemo(engine);
      expect(results.map(r => r.ports.map(p => p.object))).toEqual([
        ['sales_crm.customers'],
        ['sales_erp.orders'],
        ['logistics_wms.shipments'],
        ['marketing_360.customer_activity'],
      ]);

      const columns = await knex.raw(
        `SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type
           FROM pg_attribute a WHERE a.attrelid = 'marketing_360.customer_activity'::regclass
            AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      );
      expect(columns.rows.map((r: any) => `${r.attname} ${r.type}`)).toEqual([
        'customer_id integer',
        'customer_name character varying(101)',
        'customer_email character varying(100)',
        'account_age_days integer',
        'order_id integer',
        'order_total numeric(10,2)',
        'days_from_order_to_ship integer',
        'delivery_status character varying(20)',
      ]);

      const independent = `
        SELECT c.id AS customer_id, c.first_name || ' ' || c.last_name AS customer_name,
               c.email AS customer_email, (CURRENT_DATE - c.signup_date) AS account_age_days,
               o.order_id, o.total_amount AS order_total,
               (s.shipped_date - o.order_date) AS days_from_order_to_ship, s.delivery_status
          FROM sources.crm_customers c
          LEFT JOIN sources.erp_orders o ON o.customer_id = c.id
          LEFT JOIN (
            SELECT DISTINCT ON (order_ref) order_ref, shipped_date, delivery_status
              FROM sources.wms_shipments ORDER BY order_ref, shipped_date DESC, shipment_id DESC
          ) s ON s.order_ref = o.order_id`;
      const diff = await knex.raw(`
        SELECT count(*)::int AS n FROM (
          (SELECT * FROM marketing_360.customer_activity EXCEPT ALL (${independent}))
          UNION ALL
          ((${independent}) EXCEPT ALL SELECT * FROM marketing_360.customer_activity)
        ) d`);
      expect(diff.rows[0].n).toBe(0);
      const total = await knex.raw(
        'SELECT count(*)::int AS n FROM marketing_360.customer_activity',
      );
      expect(results[3].ports[0].rowCount).toBe(total.rows[0].n);
      expect(total.rows[0].n).toBeGreaterThan(500);

      const comment = await knex.raw(
        `SELECT col_description('marketing_360.customer_activity'::regclass, 2) AS c,
                obj_description('marketing_360'::regnamespace, 'pg_namespace') AS s`,
      );
      expect(comment.rows[0].c).toBe(
        "The customer's full name (first and last).",
      );
      expect(comment.rows[0].s).toMatch(/consolidated view/);

      const status = await engine.inspect(
        loadDemo().products[3],
        demoRequest('marketing-customer-360').ports,
      );
      expect(status.provisioned).toBe(true);
      expect(status.ports[0]).toMatchObject({
        name: 'customer_activity',
        exists: true,
        drift: [],
        rowCount: total.rows[0].n,
      });
      expect(status.ports[0].lastBuiltAt).toBeDefined();
      const upstream = await engine.inspect('sales-crm-customers');
      expect(upstream.consumers).toEqual(['marketing-customer-360']);
    } finally {
      await cleanup();
    }
  });

  it('reports drift and live view row counts in inspect', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      await provisionDemo(engine);
      await knex.raw(
        'ALTER TABLE sales_crm.customers ALTER COLUMN email TYPE text, DROP COLUMN signup_date, ADD COLUMN note text',
      );
      const demo = loadDemo();
      const status = await engine.inspect(
        demo.products[0],
        demoRequest('sales-crm-customers', demo).ports,
      );
      expect(status.ports[0].drift).toEqual([
        {
          column: 'email',
          kind: 'type',
          expected: 'character varying(100)',
          actual: 'text',
        },
        { column: 'signup_date', kind: 'missing', expected: 'date' },
        { column: 'note', kind: 'extra', actual: 'text' },
      ]);
      const orders = await engine.inspect('sales-erp-orders');
      const count = await knex.raw(
        'SELECT count(*)::int AS n FROM sources.erp_orders',
      );
      expect(orders.ports[0]).toMatchObject({
        type: 'postgres-view',
        exists: true,
        rowCount: count.rows[0].n,
      });
    } finally {
      await cleanup();
    }
  });

  it('refreshes a table that another product reads through a view, keeping the view', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      const demo = loadDemo();
      const consumer = {
        product: {
          ...demo.products[3],
          metadata: { name: 'customer-emails' },
          spec: { ...demo.products[3].spec, schema: 'customer_emails' },
        },
        ports: [
          {
            ...demo.ports[3],
            metadata: { name: 'customer-emails-emails' },
            spec: {
              ...demo.ports[3].spec,
              dataProduct: 'customer-emails',
              name: 'emails',
              type: 'postgres-view' as const,
              model:
                "SELECT c.id AS customer_id, c.email FROM {{ source('sales-crm-customers', 'customers') }} c",
              columns: [
                { name: 'customer_id', type: 'INTEGER' },
                { name: 'email', type: 'VARCHAR(100)' },
              ],
            },
          },
        ],
        inputs: [
          {
            ref: 'outputport:sales-crm-customers-customers',
            product: 'sales-crm-customers',
            port: 'customers',
          },
        ],
      };
      await engine.apply(consumer);
      await knex.raw(
        "UPDATE sources.crm_customers SET email = 'changed@example.com' WHERE id = 1",
      );
      await engine.refresh('sales-crm-customers', 'customers');
      const email = await knex.raw(
        'SELECT email FROM customer_emails.emails WHERE customer_id = 1',
      );
      expect(email.rows).toEqual([{ email: 'changed@example.com' }]);

      const widened = demoRequest('sales-crm-customers');
      widened.ports[0].spec.columns![1].type = 'VARCHAR(60)';
      await expect(engine.apply(widened)).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          // A retyped column is a breaking change, refused before any SQL runs.
          /would change in a breaking way: column first_name: type character varying\(50\) → character varying\(60\)[\s\S]*its view customer_emails\.emails/,
        ),
      });
    } finally {
      await cleanup();
    }
  });

  it('rebuilds a view port that another product reads through a view, keeping that view', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      await engine.apply(demoRequest('sales-erp-orders'));
      const consumer = viewConsumer(
        'order-ids',
        "SELECT o.order_id FROM {{ source('sales-erp-orders', 'orders') }} o",
        [{ name: 'order_id', type: 'INTEGER' }],
        { product: 'sales-erp-orders', port: 'orders' },
      );
      await engine.apply(consumer);

      const described = demoRequest('sales-erp-orders');
      described.ports[0].metadata.description = 'Orders, live from the ERP.';
      const result = await engine.apply(described);
      expect(result.ports[0].built).toBe(true);
      const comment = await knex.raw(
        "SELECT obj_description('sales_erp.orders'::regclass, 'pg_class') AS c",
      );
      expect(comment.rows[0].c).toBe('Orders, live from the ERP.');
      const count = await knex.raw(
        'SELECT count(*)::int AS n FROM order_ids.emails',
      );
      const orders = await knex.raw(
        'SELECT count(*)::int AS n FROM sources.erp_orders',
      );
      expect(count.rows[0].n).toBe(orders.rows[0].n);

      const retyped = demoRequest('sales-erp-orders');
      retyped.ports[0].spec.columns![0].type = 'BIGINT';
      await expect(engine.apply(retyped)).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /Output port 'orders' of data product 'sales-erp-orders' \(version 1\.0\.0\) would change in a breaking way: column order_id: type integer → bigint[\s\S]*order_ids\.emails/,
        ),
      });
    } finally {
      await cleanup();
    }
  });

  it('inspects a view port its product can no longer read, without failing', async () => {
    const { engine, cleanup } = await createTestWarehouse(databases);
    try {
      await engine.apply(demoRequest('sales-erp-orders'));
      await engine.apply(
        viewConsumer(
          'order-ids',
          "SELECT o.order_id FROM {{ source('sales-erp-orders', 'orders') }} o",
          [{ name: 'order_id', type: 'INTEGER' }],
          { product: 'sales-erp-orders', port: 'orders' },
        ),
      );
      await engine.revoke({
        product: 'sales-erp-orders',
        port: 'orders',
        consumer: 'order-ids',
      });
      const status = await engine.inspect('order-ids');
      expect(status.provisioned).toBe(true);
      expect(status.ports[0]).toMatchObject({ name: 'emails', exists: true });
      expect(status.ports[0].rowCount).toBeUndefined();
    } finally {
      await cleanup();
    }
  });

  it('drops a port that is no longer declared, with its reader role', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      const two = viewConsumer('constants', 'SELECT 1 AS one', [
        { name: 'one', type: 'INTEGER' },
      ]);
      two.ports.push({
        ...two.ports[0],
        metadata: { name: 'constants-twos' },
        spec: { ...two.ports[0].spec, name: 'twos', model: 'SELECT 2 AS one' },
      });
      await engine.apply(two);
      const one = viewConsumer('constants', 'SELECT 1 AS one', [
        { name: 'one', type: 'INTEGER' },
      ]);
      const result = await engine.apply(one);
      expect(result.plan.steps.map(s => s.description)).toEqual([
        'Drop output port constants.twos, no longer declared',
      ]);
      const left = await knex.raw(
        "SELECT to_regclass('constants.twos') AS r, (SELECT count(*)::int FROM pg_roles WHERE rolname = ?) AS roles",
        [`${prefix}constants__twos_r`],
      );
      expect(left.rows[0]).toEqual({ r: null, roles: 0 });
    } finally {
      await cleanup();
    }
  });

  it('keeps question marks, quotes and backslashes in descriptions as written', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      const text = "Active? 'Yes' or \\No? $1 \\? done";
      const product = viewConsumer('constants', 'SELECT 1 AS one', [
        { name: 'one', type: 'INTEGER', description: text } as any,
      ]);
      product.product.metadata.description = `Schema ${text}`;
      product.ports[0].metadata.description = `View ${text}`;
      await engine.apply(product);
      const comments = await knex.raw(
        `SELECT obj_description('constants'::regnamespace, 'pg_namespace') AS s,
                obj_description('constants.emails'::regclass, 'pg_class') AS v,
                col_description('constants.emails'::regclass, 1) AS c`,
      );
      expect(comments.rows[0]).toEqual({
        s: `Schema ${text}`,
        v: `View ${text}`,
        c: text,
      });
    } finally {
      await cleanup();
    }
  });

  it('takes back read access to an operational table no port reads any more', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      const withOrders = demoRequest('sales-crm-customers');
      withOrders.ports.push({
        ...withOrders.ports[0],
        metadata: { name: 'sales-crm-customers-order-ids' },
        spec: {
          ...withOrders.ports[0].spec,
          name: 'order_ids',
          source: 'sources.erp_orders',
          columns: [{ name: 'order_id', type: 'INTEGER' }],
        },
      });
      await engine.apply(withOrders);
      const canRead = async () =>
        (
          await knex.raw(
            "SELECT has_table_privilege(?, 'sources.erp_orders', 'SELECT') AS r",
            [`${prefix}sales_crm`],
          )
        ).rows[0].r;
      expect(await canRead()).toBe(true);
      await engine.apply(demoRequest('sales-crm-customers'));
      expect(await canRead()).toBe(false);
    } finally {
      await cleanup();
    }
  });

  it('decommissions a product in a warehouse that has no sources schema', async () => {
    const knex = await databases.init(warehouseTestDatabaseId());
    const prefix = uniqueRolePrefix();
    const engine = new WarehouseEngine({ knex, rolePrefix: prefix });
    try {
      const product = viewConsumer('constants', 'SELECT 1 AS one', [
        { name: 'one', type: 'INTEGER' },
      ]);
      await engine.apply(product);
      await expect(engine.decommission('constants')).resolves.toMatchObject({
        removed: true,
      });
      const roles = await knex.raw(
        'SELECT rolname FROM pg_roles WHERE starts_with(rolname, ?)',
        [prefix],
      );
      expect(roles.rows).toEqual([{ rolname: new RoleNames(prefix).engine }]);
    } finally {
      await dropRoles(knex, prefix);
    }
  });
});
