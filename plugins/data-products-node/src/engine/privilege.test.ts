import {
  catalogSnapshot,
  createWarehouseTestDatabases,
  createTestWarehouse,
  demoRequest,
  provisionDemo,
} from '../testUtils';
import { RoleNames } from './spec';
import { ProvisionRequest } from './types';

jest.setTimeout(120_000);

function withModel(request: ProvisionRequest, model: string): ProvisionRequest {
  return {
    ...request,
    ports: request.ports.map(p => ({ ...p, spec: { ...p.spec, model } })),
  };
}

const CUSTOMERS_MODEL = `SELECT
  c.id AS customer_id,
  (c.first_name || ' ' || c.last_name)::VARCHAR(101) AS customer_name,
  c.email AS customer_email,
  (CURRENT_DATE - c.signup_date)::INTEGER AS account_age_days,
  NULL::INTEGER AS order_id,
  NULL::DECIMAL(10,2) AS order_total,
  NULL::INTEGER AS days_from_order_to_ship,
  NULL::VARCHAR(20) AS delivery_status
FROM FROM_CLAUSE AS c`;

describe('WarehouseEngine least privilege and refresh', () => {
  const databases = createWarehouseTestDatabases();

  it('runs model SQL as the product role: sources and undeclared products are unreadable', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      for (const name of [
        'sales-crm-customers',
        'sales-erp-orders',
        'logistics-wms-shipments',
      ]) {
        await engine.apply(demoRequest(name));
      }
      const consumer = demoRequest('marketing-customer-360');
      const before = await catalogSnapshot(knex, prefix);

      // The compiler check: an undeclared product fails before any SQL runs.
      const undeclared = {
        ...withModel(
          consumer,
          CUSTOMERS_MODEL.replace(
            'FROM_CLAUSE',
            "{{ source('sales_crm_customers', 'customers') }}",
          ),
        ),
        inputs: consumer.inputs!.filter(
          i => i.product !== 'sales-crm-customers',
        ),
      };
      await expect(engine.apply(undeclared)).rejects.toThrow(
        /port 'customers' of data product 'sales-crm-customers' is not among the product's declared inputs \(declared inputs: source\('sales-erp-orders', 'orders'\)/,
      );

      // Physical names are refused by the checker, naming where they are.
      const direct = withModel(
        consumer,
        CUSTOMERS_MODEL.replace('FROM_CLAUSE', 'sources.crm_customers'),
      );
      await expect(engine.apply(direct)).rejects.toThrow(
        /line 10, column 6: reads the table sources\.crm_customers directly/,
      );
      const otherProduct = {
        ...withModel(
          consumer,
          CUSTOMERS_MODEL.replace('FROM_CLAUSE', 'sales_crm.customers'),
        ),
        inputs: consumer.inputs!.filter(
          i => i.product !== 'sales-crm-customers',
        ),
      };
      await expect(engine.apply(otherProduct)).rejects.toThrow(
        /reads the table sales_crm\.customers directly/,
      );

      // A model cannot switch back to the engine's own role.
      const escape = withModel(
        consumer,
        CUSTOMERS_MODEL.replace(
          'FROM_CLAUSE',
          "{{ source('sales_crm_customers', 'customers') }}",
        ).replace(
          'c.id AS customer_id',
          "(c.id + length(set_config('role', current_user, true)) * 0)::INTEGER AS customer_id",
        ),
      );
      await expect(engine.apply(escape)).rejects.toThrow(/set_config/);

      // A second statement is refused.
      await expect(
        engine.apply(withModel(consumer, 'SELECT 1; RESET ROLE')),
      ).rejects.toThrow(/holds more than one statement/);

      // Were the checker bypassed, PostgreSQL itself refuses: a build runs
      // as the product's role, inside its SECURITY DEFINER build function.
      const throughBuildFunction = (statement: string) =>
        knex.transaction(async trx => {
          await trx.raw(`SET LOCAL ROLE "${prefix}logistics_wms"`);
          await trx.raw('SELECT logistics_wms._dataproducts_build(?) AS n', [
            statement,
          ]);
        });
      await expect(
        throughBuildFunction(
          'CREATE TABLE logistics_wms.stolen AS SELECT * FROM sources.crm_customers',
        ),
      ).rejects.toThrow(/permission denied for table crm_customers/);
      await expect(
        throughBuildFunction(
          'CREATE TABLE logistics_wms.stolen AS SELECT * FROM sales_crm.customers',
        ),
      ).rejects.toThrow(/permission denied for schema sales_crm/);
      await expect(
        throughBuildFunction("SELECT set_config('role', current_user, true)"),
      ).rejects.toThrow(/cannot set parameter "role"/);

      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
    } finally {
      await cleanup();
    }
  });

  it('maps PostgreSQL errors in a model onto the model text', async () => {
    const { engine, cleanup } = await createTestWarehouse(databases);
    try {
      for (const name of [
        'sales-crm-customers',
        'sales-erp-orders',
        'logistics-wms-shipments',
      ]) {
        await engine.apply(demoRequest(name));
      }
      const model = CUSTOMERS_MODEL.replace(
        'FROM_CLAUSE',
        "{{ source('sales_crm_customers', 'customers') }}",
      ).replace('c.email AS customer_email', 'c.emial AS customer_email');
      const error = await engine
        .apply(withModel(demoRequest('marketing-customer-360'), model))
        .then(
          () => undefined,
          e => e,
        );
      expect(error.name).toBe('InputError');
      expect(error.message).toContain('column c.emial does not exist');
      expect(error.message).toContain(
        'at line 4, column 3:\n    c.emial AS customer_email,\n    ^',
      );
    } finally {
      await cleanup();
    }
  });

  it('refreshes tables atomically: a concurrent reader never sees zero or partial rows', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases, {
      customers: 1000,
    });
    try {
      await provisionDemo(engine);
      const expected = await knex.raw(
        'SELECT count(*)::int AS n FROM marketing_360.customer_activity',
      );
      const n = expected.rows[0].n;
      let done = false;
      const seen: number[] = [];
      const reader = (async () => {
        while (!done) {
          const r = await knex.raw(
            'SELECT count(*)::int AS n FROM marketing_360.customer_activity',
          );
          seen.push(r.rows[0].n);
        }
      })();
      for (let i = 0; i < 3; i++) {
        const result = await engine.refresh(
          'marketing-customer-360',
          'customer_activity',
        );
        expect(result).toMatchObject({ rowCount: n, built: true });
        await engine.refresh('sales-crm-customers', 'customers');
      }
      done = true;
      await reader;
      expect(seen.length).toBeGreaterThan(3);
      expect(seen.every(count => count === n)).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('grants, revokes and refuses to decommission a product that has consumers', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await provisionDemo(engine);
      await expect(engine.decommission('sales-crm-customers')).rejects.toThrow(
        /still read by 'marketing-customer-360'/,
      );
      expect(
        await engine.revoke({
          product: 'sales-crm-customers',
          port: 'customers',
          consumer: 'marketing-customer-360',
        }),
      ).toEqual({ changed: true });
      await expect(
        engine.refresh('marketing-customer-360', 'customer_activity'),
      ).rejects.toThrow(
        /failed in PostgreSQL: permission denied for schema sales_crm/,
      );
      expect(
        await engine.grant({
          product: 'sales-crm-customers',
          port: 'customers',
          consumer: 'marketing-customer-360',
        }),
      ).toEqual({ changed: true });
      expect(
        await engine.grant({
          product: 'sales-crm-customers',
          port: 'customers',
          consumer: 'marketing-customer-360',
        }),
      ).toEqual({ changed: false });
      await engine.refresh('marketing-customer-360', 'customer_activity');

      const forced = await engine.decommission('sales-erp-orders', {
        force: true,
      });
      expect(forced).toMatchObject({
        removed: true,
        droppedConsumers: ['marketing-customer-360'],
      });
      await engine.decommission('marketing-customer-360');
      await engine.decommission('sales-crm-customers');
      await engine.decommission('logistics-wms-shipments');
      expect(
        await engine.decommission('logistics-wms-shipments'),
      ).toMatchObject({ removed: false });
      const snapshot = await catalogSnapshot(knex, prefix);
      // Only the portal's engine role stays, as the metadata schema does.
      expect(snapshot.roles).toEqual([
        { rolname: new RoleNames(prefix).engine },
      ]);
      expect(snapshot.namespaces.map((r: any) => r.nspname)).not.toContain(
        'sales_crm',
      );
      const status = await engine.inspect('sales-crm-customers');
      expect(status).toMatchObject({
        provisioned: false,
        ports: [],
        consumers: [],
      });
    } finally {
      await cleanup();
    }
  });
});
