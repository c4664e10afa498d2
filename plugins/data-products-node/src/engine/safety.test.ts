import {
  catalogSnapshot,
  createWarehouseTestDatabases,
  createTestWarehouse,
  demoRequest,
  loadDemo,
  originalCustomerActivityModel,
  provisionDemo,
} from '../testUtils';
import { ProvisionRequest } from './types';
import { WarehouseEngine } from './WarehouseEngine';

jest.setTimeout(120_000);

function withModel(request: ProvisionRequest, model: string): ProvisionRequest {
  return {
    ...request,
    ports: request.ports.map(p => ({ ...p, spec: { ...p.spec, model } })),
  };
}

async function tableDigest(knex: any, table: string) {
  const r = await knex.raw(
    `SELECT count(*)::int AS n, md5(string_agg(t::text, ',' ORDER BY t::text)) AS h FROM ${table} t`,
  );
  return r.rows[0];
}

describe('WarehouseEngine safety', () => {
  const databases = createWarehouseTestDatabases();

  it('converges: a second apply changes nothing', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await provisionDemo(engine);
      const before = await catalogSnapshot(knex, prefix);
      const data = await tableDigest(knex, 'marketing_360.customer_activity');
      const built = await knex.raw(
        'SELECT port, last_built_at FROM dataproducts_meta.ports ORDER BY port',
      );
      const again = await provisionDemo(engine);
      for (const result of again) {
        expect(result.plan.steps).toEqual([]);
        expect(result.ports.every(p => !p.built)).toBe(true);
      }
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
      expect(
        await tableDigest(knex, 'marketing_360.customer_activity'),
      ).toEqual(data);
      const builtAgain = await knex.raw(
        'SELECT port, last_built_at FROM dataproducts_meta.ports ORDER BY port',
      );
      expect(builtAgain.rows).toEqual(built.rows);
    } finally {
      await cleanup();
    }
  });

  it('converges on the declared columns when a port was altered by hand', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      await knex.raw(
        'ALTER TABLE sales_crm.customers DROP COLUMN signup_date, ALTER COLUMN email TYPE text',
      );
      const again = await engine.apply(demoRequest('sales-crm-customers'));
      expect(again.ports[0].built).toBe(true);
      const status = await engine.inspect('sales-crm-customers');
      expect(status.ports[0].drift).toEqual([]);
      const third = await engine.apply(demoRequest('sales-crm-customers'));
      expect(third.plan.steps).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('serialises two concurrent applies of one product: both finish, one result', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      const [a, b] = await Promise.all([
        engine.apply(demoRequest('sales-crm-customers')),
        engine.apply(demoRequest('sales-crm-customers')),
      ]);
      expect([a.plan.steps.length > 0, b.plan.steps.length > 0].sort()).toEqual(
        [false, true],
      );
      await engine.apply(demoRequest('sales-erp-orders'));
      await engine.apply(demoRequest('logistics-wms-shipments'));
      const [c, d] = await Promise.all([
        engine.apply(demoRequest('marketing-customer-360')),
        engine.apply(demoRequest('marketing-customer-360')),
      ]);
      expect(c.ports[0].rowCount).toBe(d.ports[0].rowCount);
      expect([c.ports[0].built, d.ports[0].built].sort()).toEqual([
        false,
        true,
      ]);
      const meta = await knex.raw(
        'SELECT count(*)::int AS n FROM dataproducts_meta.products',
      );
      expect(meta.rows[0].n).toBe(4);
    } finally {
      await cleanup();
    }
  });

  it('fails the scenario original model with a diff naming every column, leaving the warehouse as before', async () => {
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
      const before = await catalogSnapshot(knex, prefix);
      const request = withModel(
        demoRequest('marketing-customer-360'),
        originalCustomerActivityModel(),
      );
      const error = await engine.apply(request).then(
        () => undefined,
        e => e,
      );
      expect(error?.name).toBe('InputError');
      const message: string = error.message;
      for (const missing of [
        'customer_name',
        'customer_email',
        'account_age_days',
        'order_total',
        'days_from_order_to_ship',
      ]) {
        expect(message).toContain(`missing column ${missing}`);
      }
      for (const extra of [
        'first_name',
        'last_name',
        'email',
        'signup_date',
        'order_date',
        'total_amount',
        'shipment_id',
        'shipped_date',
      ]) {
        expect(message).toContain(`extra column ${extra}`);
      }
      expect(message).not.toContain('column customer_id');
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
      const meta = await knex.raw(
        'SELECT product FROM dataproducts_meta.products ORDER BY 1',
      );
      expect(meta.rows.map((r: any) => r.product)).not.toContain(
        'marketing-customer-360',
      );
    } finally {
      await cleanup();
    }
  });

  it('keeps the previous version of a port when a rebuild breaks the contract', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await provisionDemo(engine);
      const before = await catalogSnapshot(knex, prefix);
      const data = await tableDigest(knex, 'marketing_360.customer_activity');
      const broken = demoRequest('marketing-customer-360');
      broken.ports[0].spec.model = broken.ports[0].spec.model!.replace(
        'c.email AS customer_email',
        'c.email::TEXT AS customer_email',
      );
      await expect(engine.apply(broken)).rejects.toThrow(
        /column customer_email is text, declared character varying\(100\)/,
      );
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
      expect(
        await tableDigest(knex, 'marketing_360.customer_activity'),
      ).toEqual(data);
    } finally {
      await cleanup();
    }
  });

  it('refuses hostile identifiers before any SQL runs, naming the value', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      const before = await catalogSnapshot(knex, prefix);
      const hostile = [
        'a;drop table x',
        'a"b',
        "a'b",
        'a--b',
        'a/*b*/',
        'Customers',
        'x'.repeat(64),
        'select',
        'naïve',
        '1abc',
        '',
      ];
      const base = demoRequest('sales-crm-customers');
      const variants: Array<[string, (v: string) => ProvisionRequest]> = [
        [
          'schema',
          v => ({
            ...base,
            product: {
              ...base.product,
              spec: { ...base.product.spec, schema: v },
            },
          }),
        ],
        [
          'port',
          v => ({
            ...base,
            ports: [
              { ...base.ports[0], spec: { ...base.ports[0].spec, name: v } },
            ],
          }),
        ],
        [
          'column',
          v => ({
            ...base,
            ports: [
              {
                ...base.ports[0],
                spec: {
                  ...base.ports[0].spec,
                  columns: [{ name: v, type: 'INTEGER' }],
                },
              },
            ],
          }),
        ],
        [
          'source',
          v => ({
            ...base,
            ports: [
              {
                ...base.ports[0],
                spec: { ...base.ports[0].spec, source: `sources.${v}` },
              },
            ],
          }),
        ],
      ];
      for (const [what, make] of variants) {
        for (const value of hostile) {
          const error = await engine.apply(make(value)).then(
            () => undefined,
            e => e,
          );
          expect({ what, value, name: error?.name }).toEqual({
            what,
            value,
            name: 'InputError',
          });
          expect(error.message).toContain(JSON.stringify(value));
        }
      }
      // A reserved word is a fine prefix: role names always carry more.
      for (const value of hostile.filter(v => v !== 'select')) {
        expect(() => new WarehouseEngine({ knex, rolePrefix: value })).toThrow(
          JSON.stringify(value),
        );
      }
      for (const value of hostile) {
        await expect(
          engine.grant({
            product: 'sales-crm-customers',
            port: value,
            consumer: 'x',
          }),
        ).rejects.toThrow(JSON.stringify(value));
      }
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
    } finally {
      await cleanup();
    }
  });

  it('keeps role names of different products distinct: a schema with __ is refused', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      // Schema "a" with port "b__c" and schema "a__b" with port "c" would
      // both need the reader role <prefix>a__b__c_r.
      const base = demoRequest('sales-crm-customers');
      await engine.apply({
        ...base,
        product: {
          ...base.product,
          spec: { ...base.product.spec, schema: 'a' },
        },
        ports: [
          { ...base.ports[0], spec: { ...base.ports[0].spec, name: 'b__c' } },
        ],
      });
      const before = await catalogSnapshot(knex, prefix);
      const other = demoRequest('logistics-wms-shipments');
      await expect(
        engine.apply({
          ...other,
          product: {
            ...other.product,
            spec: { ...other.product.spec, schema: 'a__b' },
          },
          ports: [
            { ...other.ports[0], spec: { ...other.ports[0].spec, name: 'c' } },
          ],
        }),
      ).rejects.toThrow(`"a__b"`);
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
    } finally {
      await cleanup();
    }
  });

  it('refuses a schema that exists but was not made by the portal for the product', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      await knex.raw('CREATE SCHEMA sales_crm');
      await expect(
        engine.apply(demoRequest('sales-crm-customers')),
      ).rejects.toThrow(
        /Schema 'sales_crm' already exists in the warehouse but was not created by the portal/,
      );
      await knex.raw('DROP SCHEMA sales_crm');
      await engine.apply(demoRequest('sales-crm-customers'));
      const other = demoRequest('sales-erp-orders');
      other.product.spec.schema = 'sales_crm';
      await expect(engine.apply(other)).rejects.toThrow(
        /Schema 'sales_crm' belongs to data product 'sales-crm-customers'/,
      );
    } finally {
      await cleanup();
    }
  });

  it('refuses a second product claiming the same schema at the same moment with a ConflictError', async () => {
    const { engine, cleanup } = await createTestWarehouse(databases);
    try {
      const other = demoRequest('sales-erp-orders');
      other.product.spec.schema = 'sales_crm';
      const results = await Promise.allSettled([
        engine.apply(demoRequest('sales-crm-customers')),
        engine.apply(other),
      ]);
      const rejected = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(/Schema 'sales_crm' belongs to/),
      });
    } finally {
      await cleanup();
    }
  });

  it('plans without changing anything', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      const before = await catalogSnapshot(knex, prefix);
      const plan = await engine.plan(demoRequest('sales-crm-customers'));
      expect(plan.steps.map(s => s.description)).toEqual([
        `Create role ${prefix}sales_crm for data product sales-crm-customers`,
        `Create schema sales_crm owned by ${prefix}sales_crm`,
        'Describe schema sales_crm',
        `Create reader role ${prefix}sales_crm__customers_r for output port sales_crm.customers`,
        `Let ${prefix}sales_crm read the operational table sources.crm_customers`,
        'Build table sales_crm.customers from sources.crm_customers, check it against the declared columns, its constraints and quality rules and swap it in',
        'Record version 1.0.0 and the column constraints of output port sales_crm.customers',
      ]);
      expect(plan.steps[5].statements.map(s => s.sql).join('\n')).toContain(
        'CREATE TABLE "sales_crm"."_dp_next_customers" AS\nSELECT CAST("id" AS integer) AS "id"',
      );
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
      const demo = loadDemo();
      await expect(
        engine.plan(demoRequest('marketing-customer-360', demo)),
      ).rejects.toThrow(/is not provisioned in the warehouse/);
    } finally {
      await cleanup();
    }
  });
});
