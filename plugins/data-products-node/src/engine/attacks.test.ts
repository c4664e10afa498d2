import { Knex } from 'knex';
import {
  catalogSnapshot,
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
  provisionDemo,
} from '../testUtils';
import { noBuildSessionLeft } from './__testUtils__/sessions';
import { ProvisionRequest } from './types';
import { WarehouseEngine } from './WarehouseEngine';

jest.setTimeout(120_000);

// Models that got DDL past the string-based single-statement guard this
// engine used before: an E'\'' string and a $tag$ inside an identifier hid
// the ';' from it, and PostgreSQL ran every statement as the product role.
const SELECT_CUSTOMERS = `SELECT c.id AS customer_id,
  (c.first_name || ' ' || c.last_name)::VARCHAR(101) AS customer_name,
  c.email AS customer_email,
  (CURRENT_DATE - c.signup_date)::INTEGER AS account_age_days,
  NULL::INTEGER AS order_id, NULL::DECIMAL(10,2) AS order_total,
  NULL::INTEGER AS days_from_order_to_ship, NULL::VARCHAR(20) AS delivery_status`;
const FROM_CUSTOMERS = `FROM {{ source('sales_crm_customers', 'customers') }} AS c`;

const leakThroughEscapeString = `${SELECT_CUSTOMERS}
${FROM_CUSTOMERS} WHERE c.email <> E'\\'';
CREATE VIEW marketing_360.leak AS SELECT * FROM sales_crm.customers;
GRANT SELECT ON marketing_360.leak TO PUBLIC;
SELECT 1 AS "'"`;

const plantThroughDollarTag = (role: string) => `${SELECT_CUSTOMERS}, 1 AS x$q$
${FROM_CUSTOMERS};
CREATE FUNCTION marketing_360.plant() RETURNS integer LANGUAGE plpgsql AS
  'BEGIN CREATE ROLE ${role} SUPERUSER; RETURN 1; END';
CREATE VIEW marketing_360.trap AS SELECT marketing_360.plant() AS n;
SELECT 1 AS y$q$`;

const readOnlyForever = `${SELECT_CUSTOMERS.replace(
  'c.id AS customer_id',
  "(c.id + length(set_config('default_transaction_read_only', 'on', false)) * 0)::INTEGER AS customer_id",
)}
${FROM_CUSTOMERS}`;

const sleepTenMinutes = `${SELECT_CUSTOMERS.replace(
  'c.id AS customer_id',
  '(c.id + length(pg_sleep(600)::text) * 0)::INTEGER AS customer_id',
)}
${FROM_CUSTOMERS}`;

function withModel(model: string): ProvisionRequest {
  const request = demoRequest('marketing-customer-360');
  return {
    ...request,
    ports: request.ports.map(p => ({ ...p, spec: { ...p.spec, model } })),
  };
}

/** What the attacks would have left in the catalogs, as PostgreSQL has it. */
async function attackTraces(knex: Knex, evilRole: string) {
  const found = await knex.raw(
    `SELECT
       (SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'marketing_360') AS relations,
       (SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'marketing_360') AS functions,
       (SELECT count(*)::int FROM pg_catalog.pg_roles WHERE rolname = ?) AS evil_roles,
       (SELECT count(*)::int FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
         WHERE a.grantee = 0 AND n.nspname IN ('marketing_360', 'sales_crm')) AS public_grants`,
    [evilRole],
  );
  return found.rows[0];
}

async function refusal(run: Promise<unknown>) {
  return run.then(
    () => {
      throw new Error('expected the model to be refused');
    },
    error => error,
  );
}

describe('models that attacked the warehouse before', () => {
  const databases = createWarehouseTestDatabases();

  it('are refused by the parser at plan, apply and the draft check, and leave nothing in pg_catalog', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await provisionDemo(engine);
      const evil = `${prefix}evil`;
      const before = await catalogSnapshot(knex, prefix);
      const traces = await attackTraces(knex, evil);
      expect(traces).toEqual({
        relations: ['customer_activity'],
        functions: ['_dataproducts_build'],
        evil_roles: 0,
        public_grants: 0,
      });

      const attacks: Array<[string, RegExp]> = [
        [
          leakThroughEscapeString,
          /line 8, column 1: holds more than one statement: another one starts here[\s\S]*\n {2}CREATE VIEW marketing_360\.leak .*\n {2}\^/,
        ],
        [
          plantThroughDollarTag(evil),
          /line 8, column 1: holds more than one statement: another one starts here[\s\S]*\n {2}CREATE FUNCTION marketing_360\.plant\(\).*\n {2}\^/,
        ],
        [readOnlyForever, /line 1, column 23: calls set_config\(\)/],
        [sleepTenMinutes, /line 1, column 23: calls pg_sleep\(\)/],
      ];
      const draft = (model: string) =>
        engine.checkDraftModel({
          product: 'marketing-customer-360',
          schema: 'marketing_360',
          port: 'customer_activity',
          model,
          inputs: demoRequest('marketing-customer-360').inputs!,
        });
      for (const [model, expected] of attacks) {
        for (const run of [
          (e: WarehouseEngine) => e.plan(withModel(model)),
          (e: WarehouseEngine) => e.apply(withModel(model)),
          () => draft(model),
        ]) {
          const error = await refusal(run(engine));
          expect(error.name).toBe('InputError');
          expect(error.message).toMatch(
            /^Model SQL of output port 'customer_activity', line \d+, column \d+: /,
          );
          expect(error.message).toMatch(expected);
        }
      }

      expect(await attackTraces(knex, evil)).toEqual(traces);
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
      const readOnly = await knex.raw('SHOW default_transaction_read_only');
      expect(readOnly.rows[0].default_transaction_read_only).toBe('off');
      await noBuildSessionLeft(knex);
    } finally {
      await cleanup();
    }
  });

  it('run only the deparsed tree: what reaches PostgreSQL is never the model text', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      for (const name of [
        'sales-crm-customers',
        'sales-erp-orders',
        'logistics-wms-shipments',
      ]) {
        await engine.apply(demoRequest(name));
      }
      const model = `-- a comment the engine does not run
${SELECT_CUSTOMERS} /* nor this one */
${FROM_CUSTOMERS} WHERE c.email <> E'\\''`;
      const result = await engine.apply(withModel(model));
      const build = result.plan.steps.find(
        s => s.id === 'build:customer_activity',
      )!;
      const sent = build.statements[0].sql;
      expect(sent).not.toContain('comment');
      expect(sent).not.toContain('{{');
      expect(sent).toContain('FROM sales_crm.customers AS c');
      const stored = await knex('dataproducts_meta.ports')
        .where({ product: 'marketing-customer-360' })
        .first();
      expect(stored.model_text).toBe(model);
      expect(stored.build_sql).not.toContain('comment');
      expect(sent).toContain(
        stored.build_sql.replace(/\\/g, '\\\\').replace(/'/g, "''"),
      );
    } finally {
      await cleanup();
    }
  });
});
