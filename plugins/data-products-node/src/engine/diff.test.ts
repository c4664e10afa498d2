import { ConflictError } from '@backstage/errors';
import type { OutputPortEntityV1alpha1 } from '@dataproducts/plugin-data-products-common';
import { Knex } from 'knex';
import {
  catalogSnapshot,
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
  loadDemo,
} from '../testUtils';
import { ProvisionRequest } from './types';

jest.setTimeout(180_000);

type Column = OutputPortEntityV1alpha1['spec']['columns'][number];

/** Sales CRM Customers with its port's columns (and version) changed by `change`. */
function customers(
  change: (columns: Column[]) => Column[],
  version?: string,
): ProvisionRequest {
  const request = demoRequest('sales-crm-customers');
  const [port] = request.ports;
  return {
    ...request,
    ports: [
      {
        ...port,
        spec: {
          ...port.spec,
          columns: change(port.spec.columns.map(c => ({ ...c }))),
          ...(version ? { version } : {}),
        },
      },
    ],
  };
}

/** A product whose view port reads `columns` of Sales CRM Customers' port. */
function viewReader(columns: Array<[string, string]>): ProvisionRequest {
  const demo = loadDemo();
  const ref = 'outputport:sales-crm-customers-customers';
  return {
    product: {
      ...demo.products[3],
      metadata: { name: 'customer-reader' },
      spec: {
        ...demo.products[3].spec,
        schema: 'customer_reader',
        inputs: [ref],
      },
    },
    ports: [
      {
        ...demo.ports[3],
        metadata: { name: 'customer-reader-contacts' },
        spec: {
          ...demo.ports[3].spec,
          dataProduct: 'customer-reader',
          name: 'contacts',
          type: 'postgres-view',
          model: `SELECT ${columns
            .map(([name]) => `c.${name}`)
            .join(
              ', ',
            )} FROM {{ source('sales_crm_customers', 'customers') }} c`,
          columns: columns.map(([name, type]) => ({ name, type })),
        },
      },
    ],
    inputs: [{ ref, product: 'sales-crm-customers', port: 'customers' }],
  };
}

const BREAKING = (columns: Column[]) =>
  columns
    .filter(c => c.name !== 'email')
    .map(c => {
      if (c.name === 'signup_date') return { ...c, type: 'TIMESTAMP' };
      if (c.name === 'first_name') return { ...c, required: true };
      if (c.name === 'last_name') return { ...c, description: 'Family name.' };
      if (c.name === 'id') return { ...c, primaryKey: false, unique: false };
      return c;
    });

async function columnsOf(knex: Knex, schema: string, relation: string) {
  const result = await knex.raw(
    `SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [schema, relation],
  );
  return result.rows.map(
    (r: { attname: string; type: string }) => `${r.attname} ${r.type}`,
  );
}

describe("the plan's diff and breaking changes", () => {
  const databases = createWarehouseTestDatabases();

  it('classifies each change, refuses a breaking one while a consumer reads the port, and keeps the old major version readable', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      // A new product: every port and column is added.
      const withoutEmail = customers(columns =>
        columns.filter(c => c.name !== 'email'),
      );
      const created = await engine.diff(withoutEmail);
      expect(created).toMatchObject({ new: true, breaking: false });
      expect(created.ports[0]).toMatchObject({
        port: 'customers',
        change: 'added',
        version: { to: '1.0.0' },
      });
      expect(created.ports[0].columns.map(c => c.kind)).toEqual(
        Array(4).fill('added'),
      );
      await engine.apply(withoutEmail);

      // An added column is not breaking.
      const added = await engine.diff(demoRequest('sales-crm-customers'));
      expect(added.ports[0]).toMatchObject({
        change: 'changed',
        breaking: false,
        consumers: [],
        columns: [
          {
            column: 'email',
            kind: 'added',
            to: 'character varying(100)',
            breaking: false,
          },
        ],
      });
      const plan = await engine.plan(demoRequest('sales-crm-customers'));
      expect(plan.diff).toEqual(added);
      await engine.apply(demoRequest('sales-crm-customers'));
      expect(
        (await engine.diff(demoRequest('sales-crm-customers'))).ports[0],
      ).toMatchObject({ change: 'unchanged', columns: [] });

      // A consumer product reads the port through a view, a group through its role.
      await engine.apply(
        viewReader([
          ['id', 'INTEGER'],
          ['email', 'VARCHAR(100)'],
        ]),
      );
      await engine.grant({
        product: 'sales-crm-customers',
        port: 'customers',
        consumer: { kind: 'group', name: 'marketing' },
      });

      const diff = await engine.diff(customers(BREAKING));
      expect(diff).toMatchObject({ breaking: true, refused: true });
      const port = diff.ports[0];
      expect(port.outcome).toBe('refused');
      expect(
        Object.fromEntries(
          port.columns.map(c => [`${c.column} ${c.kind}`, c.breaking]),
        ),
      ).toEqual({
        'email removed': true,
        'signup_date type': true,
        'first_name constraint': true,
        'last_name description': false,
        'id constraint': false,
      });
      expect(port.columns.find(c => c.column === 'id')).toMatchObject({
        from: 'primaryKey, required, unique',
        to: 'required',
      });
      expect(port.consumers).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            product: 'customer-reader',
            via: expect.arrayContaining(['declared-input', 'view']),
            views: ['customer_reader.contacts'],
          }),
          expect.objectContaining({
            group: 'group:default/marketing',
            via: ['reader-role'],
          }),
        ]),
      );

      // Refused by apply and by the dry run; nothing changes.
      const before = await catalogSnapshot(knex, prefix);
      for (const attempt of [
        () => engine.apply(customers(BREAKING)),
        () => engine.plan(customers(BREAKING)),
      ]) {
        const refusal = await attempt().catch(error => error);
        expect(refusal).toBeInstanceOf(ConflictError);
        expect(refusal.message).toContain("'customer-reader'");
        expect(refusal.message).toContain('customer_reader.contacts');
        expect(refusal.message).toContain("group 'group:default/marketing'");
        expect(refusal.message).toContain('column email');
        expect(refusal.message).toContain('spec.version to 2.0.0');
      }
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
      expect(await columnsOf(knex, 'sales_crm', 'customers')).toContain(
        'email character varying(100)',
      );

      // The same change as a new major version: the old one stays readable.
      const v2 = customers(BREAKING, '2.0.0');
      expect((await engine.diff(v2)).ports[0].outcome).toBe(
        'new-major-version',
      );
      const applied = await engine.apply(v2);
      expect(applied.plan.steps.map(s => s.id)).toEqual(
        expect.arrayContaining([
          'keep-version:customers',
          'build:customers',
          'contract:customers',
        ]),
      );
      expect(await columnsOf(knex, 'sales_crm', 'customers')).toEqual([
        'id integer',
        'first_name character varying(50)',
        'last_name character varying(50)',
        'signup_date timestamp without time zone',
      ]);
      expect(await columnsOf(knex, 'sales_crm', 'customers_v1')).toContain(
        'email character varying(100)',
      );
      const consumerRole = `${prefix}customer_reader`;
      const read = await knex.transaction(async trx => {
        await trx.raw(`SET LOCAL ROLE "${consumerRole}"`);
        const view = await trx.raw(
          'SELECT count(*)::int AS n, count(email)::int AS e FROM customer_reader.contacts',
        );
        const old = await trx.raw(
          'SELECT count(*)::int AS n FROM sales_crm.customers_v1',
        );
        const current = await trx.raw(
          'SELECT count(*)::int AS n FROM sales_crm.customers',
        );
        return [view.rows[0], old.rows[0].n, current.rows[0].n];
      });
      expect(read[0].n).toBe(500);
      expect(read[0].e).toBeGreaterThan(0);
      expect(read[1]).toBe(500);
      expect(read[2]).toBe(500);
      const kept = await engine.diff(v2);
      expect(kept.ports[0]).toMatchObject({
        change: 'unchanged',
        version: { from: '2.0.0', to: '2.0.0' },
        keptVersions: [
          {
            major: 1,
            relation: 'sales_crm.customers_v1',
            readBy: ['customer_reader.contacts'],
            action: 'keep',
          },
        ],
      });
      expect((await engine.apply(v2)).plan.steps).toEqual([]);
      const status = await engine.inspect('sales-crm-customers');
      expect(status.ports[0]).toMatchObject({
        version: '2.0.0',
        keptVersions: [
          {
            major: 1,
            version: '1.0.0',
            object: 'sales_crm.customers_v1',
            exists: true,
          },
        ],
      });

      // Once the consumer moved to version 2, the old version is dropped.
      await engine.apply(viewReader([['id', 'INTEGER']]));
      const moved = await engine.apply(v2);
      expect(moved.plan.steps.map(s => s.id)).toEqual([
        'drop-version:customers_v1',
      ]);
      expect(await columnsOf(knex, 'sales_crm', 'customers_v1')).toEqual([]);
      const versions = await knex('dataproducts_meta.port_versions').select();
      expect(versions).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('a removed port with consumers is refused; without consumers a breaking change applies, and a removed port takes its kept versions', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      const breaking = await engine.diff(customers(BREAKING));
      expect(breaking.ports[0]).toMatchObject({
        breaking: true,
        outcome: 'applied',
      });
      await engine.apply(customers(BREAKING));
      expect(await columnsOf(knex, 'sales_crm', 'customers')).not.toContain(
        'email character varying(100)',
      );

      await engine.apply(viewReader([['id', 'INTEGER']]));
      const removed = { ...customers(BREAKING), ports: [] };
      const diff = await engine.diff(removed);
      expect(diff.ports[0]).toMatchObject({
        port: 'customers',
        change: 'removed',
        breaking: true,
        outcome: 'refused',
      });
      const before = await catalogSnapshot(knex, prefix);
      await expect(engine.apply(removed)).rejects.toThrow(
        /no longer declared, but it is read by data product 'customer-reader'/,
      );
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);

      // A new major version kept for the consumer; once it is gone, removing
      // the port takes the kept version with it, before the reader role.
      await engine.apply(
        customers(
          columns => BREAKING(columns).filter(c => c.name !== 'last_name'),
          '2.0.0',
        ),
      );
      expect(await columnsOf(knex, 'sales_crm', 'customers_v1')).toContain(
        'last_name character varying(50)',
      );
      await engine.decommission('customer-reader');
      const gone = await engine.apply(removed);
      expect(
        gone.plan.steps.map(s => s.id).filter(id => id.startsWith('drop-')),
      ).toEqual(['drop-version:customers_v1', 'drop-port:customers']);
      expect(await columnsOf(knex, 'sales_crm', 'customers_v1')).toEqual([]);
      expect(await columnsOf(knex, 'sales_crm', 'customers')).toEqual([]);
    } finally {
      await cleanup();
    }
  });
});
