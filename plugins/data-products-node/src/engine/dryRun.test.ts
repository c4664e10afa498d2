import { Knex } from 'knex';
import {
  catalogSnapshot,
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
  loadDemo,
  originalCustomerActivityModel,
} from '../testUtils';
import { holdLock, noBuildSessionLeft } from './__testUtils__/sessions';
import { ProvisionRequest } from './types';

jest.setTimeout(120_000);

const DEMO_MODEL = loadDemo().ports.find(
  p => p.spec.name === 'customer_activity',
)!.spec.model!;

function withModel(model: string): ProvisionRequest {
  const request = demoRequest('marketing-customer-360');
  return {
    ...request,
    ports: request.ports.map(p => ({ ...p, spec: { ...p.spec, model } })),
  };
}

/** The catalogs and the portal's records, which a dry run must leave as they were. */
async function everything(knex: Knex, prefix: string) {
  return {
    catalog: await catalogSnapshot(knex, prefix),
    products: await knex('dataproducts_meta.products').orderBy('product'),
    ports: await knex('dataproducts_meta.ports').orderBy(['product', 'port']),
    grants: await knex('dataproducts_meta.grants').orderBy([
      'product',
      'port',
      'consumer',
    ]),
  };
}

async function provisionInputs(engine: {
  apply(r: ProvisionRequest): Promise<unknown>;
}) {
  for (const name of [
    'sales-crm-customers',
    'sales-erp-orders',
    'logistics-wms-shipments',
  ]) {
    await engine.apply(demoRequest(name));
  }
}

describe('the dry run is a real check', () => {
  const databases = createWarehouseTestDatabases();

  it('fails at plan time on a syntax error, an undeclared input, a forbidden function, an unknown column and a contract mismatch, changing nothing', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await provisionInputs(engine);
      const before = await everything(knex, prefix);
      const undeclared = withModel(DEMO_MODEL);
      undeclared.inputs = undeclared.inputs!.filter(
        i => i.product !== 'logistics-wms-shipments',
      );
      const failures: Array<[ProvisionRequest, RegExp]> = [
        [
          withModel(DEMO_MODEL.replace('LEFT JOIN', 'LEFT JION')),
          /^Model SQL of output port 'customer_activity', line 11, column 6: PostgreSQL cannot parse it: syntax error at or near "JION"/,
        ],
        [
          undeclared,
          /line 16, column 8: reads \{\{ source\('logistics_wms_shipments', 'shipments'\) \}\}, but port 'shipments' of data product 'logistics-wms-shipments' is not among the product's declared inputs/,
        ],
        [
          withModel(
            DEMO_MODEL.replace(
              'c.email AS customer_email',
              "c.email || pg_read_file('/etc/passwd') AS customer_email",
            ),
          ),
          /line 4, column 14: calls pg_read_file\(\)/,
        ],
        [
          withModel(
            DEMO_MODEL.replace(
              'c.email AS customer_email',
              'c.emial AS customer_email',
            ),
          ),
          /failed in PostgreSQL: column c\.emial does not exist at line 4, column 3:\n {4}c\.emial AS customer_email,\n {4}\^/,
        ],
        [
          withModel(
            DEMO_MODEL.replace(
              'c.email AS customer_email',
              'c.email::TEXT AS customer_email',
            ),
          ),
          /does not match its declared columns, so it was not changed[\s\S]*column customer_email is text, declared character varying\(100\)/,
        ],
        [
          withModel(originalCustomerActivityModel()),
          /missing column customer_name[\s\S]*extra column first_name/,
        ],
      ];
      for (const [request, expected] of failures) {
        const error = await engine.plan(request).then(
          () => undefined,
          e => e,
        );
        expect(error?.name).toBe('InputError');
        expect(error.message).toMatch(expected);
      }
      expect(await everything(knex, prefix)).toEqual(before);
      await noBuildSessionLeft(knex);
    } finally {
      await cleanup();
    }
  });

  it('rehearses a rebuild beside the live port: readers holding it do not stop the plan', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
      { limits: { lockTimeoutMs: 300 } },
    );
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      const reader = await holdLock(
        knex,
        'SELECT count(*) FROM sales_crm.customers',
      );
      try {
        const retyped = demoRequest('sales-crm-customers');
        retyped.ports[0].spec.columns![1].type = 'TEXT';
        const before = await everything(knex, prefix);
        const plan = await engine.plan(retyped);
        const build = plan.steps.find(s => s.id === 'build:customers')!;
        expect(build.statements.map(s => s.sql)).toContain(
          'DROP TABLE "sales_crm"."customers"',
        );
        expect(await everything(knex, prefix)).toEqual(before);
        // The real run needs the reader gone: its DROP waits, then gives up.
        await expect(engine.apply(retyped)).rejects.toMatchObject({
          name: 'ConflictError',
          message: expect.stringContaining('during step build:customers'),
        });
      } finally {
        await reader.release();
      }
    } finally {
      await cleanup();
    }
  });

  it('checks a draft model: the columns PostgreSQL infers, or the error at its line, changing nothing', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await provisionInputs(engine);
      const before = await everything(knex, prefix);
      const draft = {
        product: 'marketing-customer-360',
        schema: 'marketing_360',
        port: 'customer_activity',
        model: DEMO_MODEL,
        inputs: demoRequest('marketing-customer-360').inputs!,
      };
      const checked = await engine.checkDraftModel(draft);
      expect(checked.columns).toEqual([
        { name: 'customer_id', type: 'integer' },
        { name: 'customer_name', type: 'character varying(101)' },
        { name: 'customer_email', type: 'character varying(100)' },
        { name: 'account_age_days', type: 'integer' },
        { name: 'order_id', type: 'integer' },
        { name: 'order_total', type: 'numeric(10,2)' },
        { name: 'days_from_order_to_ship', type: 'integer' },
        { name: 'delivery_status', type: 'character varying(20)' },
      ]);
      expect(checked.sql).toContain('FROM sales_crm.customers AS c');

      await expect(
        engine.checkDraftModel({
          ...draft,
          model: DEMO_MODEL.replace('o.order_id,', 'o.order_no,'),
        }),
      ).rejects.toThrow(
        /column o\.order_no does not exist at line 6, column 3:\n {4}o\.order_no,\n {4}\^/,
      );
      await expect(
        engine.checkDraftModel({ ...draft, inputs: draft.inputs.slice(1) }),
      ).rejects.toThrow(
        /port 'customers' of data product 'sales-crm-customers' is not among the product's declared inputs/,
      );
      await expect(
        engine.checkDraftModel({
          ...draft,
          inputs: [
            ...draft.inputs,
            { ref: 'outputport:nowhere-x', product: 'nowhere', port: 'x' },
          ],
        }),
      ).rejects.toThrow(
        "Input outputport:nowhere-x of data product 'marketing-customer-360' is not provisioned in the warehouse",
      );
      await expect(
        engine.checkDraftModel({ ...draft, schema: 'pg_temp' }),
      ).rejects.toThrow(/Invalid schema of data product/);

      expect(await everything(knex, prefix)).toEqual(before);
      const scratch = await knex.raw(
        "SELECT count(*)::int AS n FROM pg_catalog.pg_namespace WHERE nspname LIKE '\\_dp\\_check\\_%'",
      );
      expect(scratch.rows[0].n).toBe(0);
    } finally {
      await cleanup();
    }
  });
});
