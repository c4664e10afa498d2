import {
  catalogSnapshot,
  createTestWarehouse,
  createWarehouseTestDatabases,
  DEMO_ORDER,
  demoRequest,
  loadDemo,
} from '../testUtils';
import { RoleNames } from './spec';
import { PlanStatement, ProvisionPlan, ProvisionRequest } from './types';
import { WarehouseEngine } from './WarehouseEngine';

jest.setTimeout(120_000);

// Every query reaches PostgreSQL through pg's Client.query, whether knex sends
// it or the engine's runner: spying there sees the text exactly as sent.
const { Client } = jest.requireActual('pg');

type Sent = { text: string; extended: boolean };

function sentText(args: unknown[]): Sent {
  const [first] = args;
  if (typeof first === 'string') {
    return { text: first, extended: false };
  }
  const config = first as { text: string; queryMode?: string };
  return { text: config.text, extended: config.queryMode === 'extended' };
}

/**
 * Runs `apply` and splits what reached PostgreSQL: the runner's statements
 * (with the role each ran as, from the SET LOCAL ROLE / RESET ROLE around
 * them) and every other query.
 */
async function applyAndCapture(
  engine: WarehouseEngine,
  request: ProvisionRequest,
) {
  const spy = jest.spyOn(Client.prototype, 'query');
  try {
    const result = await engine.apply(request);
    const sent: Sent[] = spy.mock.calls.map(sentText);
    const executed: PlanStatement[] = [];
    let role: string | undefined;
    for (const { text } of sent.filter(s => s.extended)) {
      const setRole = /^SET LOCAL ROLE "(.+)"$/.exec(text);
      if (setRole) {
        role = setRole[1];
      } else if (text === 'RESET ROLE') {
        role = undefined;
      } else {
        executed.push(role ? { sql: text, role } : { sql: text });
      }
    }
    return {
      result,
      executed,
      others: sent.filter(s => !s.extended).map(s => s.text),
    };
  } finally {
    spy.mockRestore();
  }
}

function plannedStatements(plan: ProvisionPlan): PlanStatement[] {
  return plan.steps.flatMap(step => step.statements);
}

/** Queries other than the runner's may only read, or keep the portal's records. */
const READ_OR_RECORD =
  /^(BEGIN|COMMIT|ROLLBACK|SELECT |SET LOCAL ROLE |RESET ROLE|(insert into|update|delete from|select .*from) "dataproducts_meta"\.)/is;

/** Plans, applies, and checks that apply ran exactly the plan. */
async function expectApplyRunsThePlan(
  engine: WarehouseEngine,
  request: ProvisionRequest,
): Promise<ProvisionPlan> {
  const planned = await engine.plan(request);
  const { result, executed, others } = await applyAndCapture(engine, request);
  expect(result.plan).toEqual(planned);
  expect(executed).toEqual(plannedStatements(planned));
  expect(others).toContain('BEGIN;');
  expect(others.filter(sql => !READ_OR_RECORD.test(sql))).toEqual([]);
  return planned;
}

function allSql(plan: ProvisionPlan): string {
  return plannedStatements(plan)
    .map(s => s.sql)
    .join('\n');
}

/** A product whose view port reads one input port. */
function viewReader(input: {
  product: string;
  port: string;
}): ProvisionRequest {
  const demo = loadDemo();
  const ref = `outputport:${input.product}-${input.port}`;
  return {
    product: {
      ...demo.products[3],
      metadata: { name: 'order-reader' },
      spec: { ...demo.products[3].spec, schema: 'order_reader', inputs: [ref] },
    },
    ports: [
      {
        ...demo.ports[3],
        metadata: { name: 'order-reader-ids' },
        spec: {
          ...demo.ports[3].spec,
          dataProduct: 'order-reader',
          name: 'ids',
          type: 'postgres-view',
          model: `SELECT i.* FROM {{ source('${input.product}', '${input.port}') }} i`,
          columns:
            input.port === 'orders'
              ? [
                  { name: 'order_id', type: 'INTEGER' },
                  { name: 'customer_id', type: 'INTEGER' },
                  { name: 'order_date', type: 'DATE' },
                  { name: 'total_amount', type: 'DECIMAL(10,2)' },
                ]
              : [
                  { name: 'id', type: 'INTEGER' },
                  { name: 'first_name', type: 'VARCHAR(50)' },
                  { name: 'last_name', type: 'VARCHAR(50)' },
                  { name: 'email', type: 'VARCHAR(100)' },
                  { name: 'signup_date', type: 'DATE' },
                ],
        },
      },
    ],
    inputs: [{ ref, ...input }],
  };
}

describe('plans are what apply runs', () => {
  const databases = createWarehouseTestDatabases();

  it('runs exactly the planned statements for each new demo product, then nothing', async () => {
    const { engine, cleanup } = await createTestWarehouse(databases);
    try {
      for (const name of DEMO_ORDER) {
        const plan = await expectApplyRunsThePlan(engine, demoRequest(name));
        expect(plan.steps.length).toBeGreaterThan(0);
      }
      for (const name of DEMO_ORDER) {
        const again = await expectApplyRunsThePlan(engine, demoRequest(name));
        expect(again.steps).toEqual([]);
      }
    } finally {
      await cleanup();
    }
  });

  it('swaps in a port whose declared column type changed', async () => {
    const { engine, cleanup } = await createTestWarehouse(databases);
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      const changed = demoRequest('sales-crm-customers');
      changed.ports[0].spec.columns![3].type = 'TEXT';
      const plan = await expectApplyRunsThePlan(engine, changed);
      expect(plan.steps.map(s => s.id)).toEqual(['build:customers']);
      expect(allSql(plan)).toContain('DROP TABLE "sales_crm"."customers"');
      expect(allSql(plan)).toContain(
        'ALTER TABLE "sales_crm"."_dp_next_customers" RENAME TO "customers"',
      );
    } finally {
      await cleanup();
    }
  });

  it('runs the planned checks of quality rules, custom SQL included, between the build and the swap', async () => {
    const { engine, cleanup } = await createTestWarehouse(databases);
    try {
      const checked = demoRequest('sales-crm-customers');
      checked.ports[0].spec.quality = [
        { metric: 'rowCount', mustBeGreaterThan: 0 },
        {
          metric: 'invalidValues',
          column: 'email',
          arguments: { pattern: '@' },
          mustBe: 0,
        },
        {
          name: 'signed_up',
          query:
            'SELECT count(*) FROM {{ this }} AS c WHERE c.signup_date IS NULL',
          mustBe: 0,
        },
      ];
      const plan = await expectApplyRunsThePlan(engine, checked);
      expect(allSql(plan)).toMatch(
        /SELECT \* FROM \(\nSELECT count\(\*\)\s+FROM sales_crm\._dp_next_customers AS c\s+WHERE\s+c\.signup_date IS NULL\s*\n\) AS rule LIMIT 2/,
      );
      const quality = await engine.quality('sales-crm-customers', 'customers');
      expect(quality.rules.map(r => [r.key, r.latest.passed])).toEqual([
        ['primaryKey_id', true],
        ['required_id', true],
        ['invalidValues_email', true],
        ['rowCount', true],
        ['signed_up', true],
      ]);
    } finally {
      await cleanup();
    }
  });

  it("replaces a table's rows in place when another product's view reads it", async () => {
    const { engine, cleanup } = await createTestWarehouse(databases);
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      await engine.apply(
        viewReader({ product: 'sales-crm-customers', port: 'customers' }),
      );
      const described = demoRequest('sales-crm-customers');
      described.ports[0].metadata.description = 'Customers from the CRM.';
      const plan = await expectApplyRunsThePlan(engine, described);
      expect(plan.steps[0].description).toContain(
        "replace the table's rows in place (read by order_reader.ids)",
      );
      expect(allSql(plan)).toContain('TRUNCATE "sales_crm"."customers"');
      expect(allSql(plan)).not.toContain('RENAME');
    } finally {
      await cleanup();
    }
  });

  it('rebuilds a view in place when another product reads it', async () => {
    const { engine, cleanup } = await createTestWarehouse(databases);
    try {
      await engine.apply(demoRequest('sales-erp-orders'));
      await engine.apply(
        viewReader({ product: 'sales-erp-orders', port: 'orders' }),
      );
      const described = demoRequest('sales-erp-orders');
      described.ports[0].metadata.description = 'Orders, live from the ERP.';
      const plan = await expectApplyRunsThePlan(engine, described);
      expect(allSql(plan)).toContain(
        'CREATE OR REPLACE VIEW "sales_erp"."orders" AS',
      );
      expect(allSql(plan)).not.toContain('DROP VIEW "sales_erp"."orders"');
    } finally {
      await cleanup();
    }
  });

  it('drops a port that is no longer declared', async () => {
    const { engine, prefix, cleanup } = await createTestWarehouse(databases);
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
      const plan = await expectApplyRunsThePlan(
        engine,
        demoRequest('sales-crm-customers'),
      );
      expect(plan.steps.map(s => s.id)).toEqual([
        'source-revoke:sources.erp_orders',
        'drop-port:order_ids',
      ]);
      expect(plan.steps[1].statements).toEqual([
        {
          sql: 'DROP TABLE "sales_crm"."order_ids"',
          role: `${prefix}sales_crm`,
        },
        {
          sql: `REVOKE USAGE ON SCHEMA "sales_crm" FROM "${prefix}sales_crm__order_ids_r"`,
          role: `${prefix}sales_crm`,
        },
        { sql: `DROP ROLE IF EXISTS "${prefix}sales_crm__order_ids_r"` },
      ]);
    } finally {
      await cleanup();
    }
  });

  it('hands a product provisioned before the engine role existed to that role', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      const engineRole = new RoleNames(prefix).engine;
      await knex.raw(`REVOKE "${prefix}sales_crm" FROM "${engineRole}"`);
      const plan = await expectApplyRunsThePlan(
        engine,
        demoRequest('sales-crm-customers'),
      );
      expect(plan.steps).toEqual([
        {
          id: 'product-role',
          description: `Let the portal's engine role ${engineRole} act as ${prefix}sales_crm`,
          statements: [
            { sql: `GRANT "${prefix}sales_crm" TO "${engineRole}"` },
          ],
        },
      ]);
    } finally {
      await cleanup();
    }
  });

  it('names the step and the statement that failed, and leaves everything as it was', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      // Something outside the product's schema that its role owns.
      await knex.raw('CREATE TABLE public.kept_by_hand (id integer)');
      await knex.raw(
        `ALTER TABLE public.kept_by_hand OWNER TO "${prefix}sales_crm"`,
      );
      const before = await catalogSnapshot(knex, prefix);
      await expect(
        engine.decommission('sales-crm-customers'),
      ).rejects.toMatchObject({
        message: expect.stringMatching(
          new RegExp(
            `^Step drop-product-role \\(Drop role ${prefix}sales_crm with its grants\\) failed at DROP ROLE "${prefix}sales_crm"; caused by error: role "${prefix}sales_crm" cannot be dropped because some objects depend on it`,
          ),
        ),
      });
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
      await knex.raw('DROP TABLE public.kept_by_hand');
    } finally {
      await cleanup();
    }
  });

  it('checks the staged columns between the statements that build and swap', async () => {
    const { engine, cleanup } = await createTestWarehouse(databases);
    try {
      const plan = await engine.plan(demoRequest('sales-crm-customers'));
      const build = plan.steps.find(s => s.id === 'build:customers')!;
      expect(build.statements[0].sql).toMatch(
        /^SELECT "sales_crm"."_dataproducts_build"\('CREATE TABLE "sales_crm"."_dp_next_customers" AS\n/,
      );
      expect(build.checks).toEqual([
        expect.objectContaining({
          after: 0,
          relation: { schema: 'sales_crm', name: '_dp_next_customers' },
          columns: expect.arrayContaining([
            { name: 'email', type: 'character varying(100)' },
          ]),
        }),
      ]);
      // The declared primary key is checked on the staged rows, then the
      // table is swapped in and given its constraint.
      expect(build.statements[1].sql).toBe(
        'DO $dp$ BEGIN ALTER TABLE "sales_crm"."_dp_next_customers" ALTER COLUMN "id" SET NOT NULL, ADD CONSTRAINT "_dp_next_customers_pkey" PRIMARY KEY ("id"); EXCEPTION WHEN not_null_violation OR unique_violation THEN NULL; END $dp$',
      );
      expect(build.qualityChecks).toEqual([
        expect.objectContaining({
          after: 3,
          measures: [
            expect.objectContaining({ key: 'required_id' }),
            expect.objectContaining({ key: 'primaryKey_id' }),
          ],
        }),
      ]);
      expect(build.statements[3].sql).toMatch(
        /^SELECT count\(\*\) AS m0, .* FROM "sales_crm"\."_dp_next_customers"$/,
      );
      expect(build.statements.slice(5, 7).map(s => s.sql)).toEqual([
        'ALTER TABLE "sales_crm"."_dp_next_customers" RENAME TO "customers"',
        'ALTER TABLE "sales_crm"."customers" RENAME CONSTRAINT "_dp_next_customers_pkey" TO "customers_pkey"',
      ]);
    } finally {
      await cleanup();
    }
  });
});
