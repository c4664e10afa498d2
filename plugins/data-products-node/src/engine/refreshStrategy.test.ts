import { Knex } from 'knex';
import {
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
} from '../testUtils';
import { holdLock } from './__testUtils__/sessions';
import { ProvisionRequest } from './types';

jest.setTimeout(120_000);

type IsolationLevel = 'REPEATABLE READ' | 'SERIALIZABLE';

function withStrategy(
  request: ProvisionRequest,
  refreshStrategy: unknown,
): ProvisionRequest {
  return {
    ...request,
    ports: request.ports.map(p => ({
      ...p,
      spec: { ...p.spec, refreshStrategy } as typeof p.spec,
    })),
  };
}

/**
 * A reader whose snapshot is taken now, before a refresh, without touching
 * the port (so it holds no lock on it).
 */
async function readerWithEarlierSnapshot(
  knex: Knex,
  isolation: IsolationLevel,
) {
  const trx = await knex.transaction({
    isolationLevel:
      isolation === 'SERIALIZABLE' ? 'serializable' : 'repeatable read',
  });
  await trx.raw('SELECT count(*) FROM sources.erp_orders');
  return {
    count: async (table: string) =>
      (await trx.raw(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n,
    end: () => trx.rollback(),
  };
}

async function relationOid(knex: Knex, table: string): Promise<number> {
  const result = await knex.raw('SELECT ?::regclass::oid::int AS oid', [table]);
  return result.rows[0].oid;
}

/** Adds customers to the source, so a refresh brings more rows. */
async function addCustomers(knex: Knex, count: number) {
  await knex.raw(
    `INSERT INTO sources.crm_customers (id, first_name, last_name, email, signup_date)
     SELECT 100000 + g, 'New', 'Customer', 'new' || g || '@example.com', DATE '2026-01-01'
       FROM generate_series(1, ?) g`,
    [count],
  );
}

describe('refresh strategies under every isolation level', () => {
  const databases = createWarehouseTestDatabases();

  it('swap: a REPEATABLE READ reader whose snapshot predates the swap, and who had not read the port yet, finds it empty', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      const oid = await relationOid(knex, 'sales_crm.customers');
      await addCustomers(knex, 20);
      const reader = await readerWithEarlierSnapshot(knex, 'REPEATABLE READ');
      try {
        const refreshed = await engine.refresh(
          'sales-crm-customers',
          'customers',
        );
        expect(refreshed.rowCount).toBe(520);
        // The new table's rows were written after the reader's snapshot.
        expect(await reader.count('sales_crm.customers')).toBe(0);
      } finally {
        await reader.end();
      }
      expect(await relationOid(knex, 'sales_crm.customers')).not.toBe(oid);
    } finally {
      await cleanup();
    }
  });

  it('swap with readers of other products: TRUNCATE, which such a reader sees as empty too', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases);
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      await engine.apply(demoRequest('sales-erp-orders'));
      await engine.apply(demoRequest('logistics-wms-shipments'));
      const consumer = demoRequest('marketing-customer-360');
      consumer.ports[0].spec.type = 'postgres-view';
      await engine.apply(consumer);
      const reader = await readerWithEarlierSnapshot(knex, 'REPEATABLE READ');
      try {
        await engine.refresh('sales-crm-customers', 'customers');
        expect(await reader.count('sales_crm.customers')).toBe(0);
      } finally {
        await reader.end();
      }
    } finally {
      await cleanup();
    }
  });

  it.each<IsolationLevel>(['REPEATABLE READ', 'SERIALIZABLE'])(
    'delete-insert: a %s reader whose snapshot predates the refresh keeps seeing the previous rows, in the same table',
    async isolation => {
      const { knex, engine, cleanup } = await createTestWarehouse(databases);
      try {
        const request = withStrategy(
          demoRequest('sales-crm-customers'),
          'delete-insert',
        );
        await engine.apply(request);
        const oid = await relationOid(knex, 'sales_crm.customers');
        await addCustomers(knex, 20);
        const reader = await readerWithEarlierSnapshot(knex, isolation);
        try {
          const refreshed = await engine.refresh(
            'sales-crm-customers',
            'customers',
          );
          expect(refreshed.rowCount).toBe(520);
          expect(await reader.count('sales_crm.customers')).toBe(500);
        } finally {
          await reader.end();
        }
        const after = await knex.raw(
          'SELECT count(*)::int AS n FROM sales_crm.customers',
        );
        expect(after.rows[0].n).toBe(520);
        expect(await relationOid(knex, 'sales_crm.customers')).toBe(oid);
      } finally {
        await cleanup();
      }
    },
  );

  it('delete-insert: a reader in the middle of reading the port neither waits for the refresh nor holds it up', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases, {
      limits: { lockTimeoutMs: 300 },
    });
    try {
      await engine.apply(demoRequest('sales-crm-customers'));
      const reading = await holdLock(
        knex,
        'SELECT count(*) FROM sales_crm.customers',
      );
      try {
        // swap must drop the table the reader holds: it gives up.
        await expect(
          engine.refresh('sales-crm-customers', 'customers'),
        ).rejects.toMatchObject({ name: 'ConflictError' });
        // delete-insert only writes rows: the refresh goes through.
        const switched = await engine.apply(
          withStrategy(demoRequest('sales-crm-customers'), 'delete-insert'),
        );
        const sql = switched.plan.steps
          .flatMap(step => step.statements)
          .map(s => s.sql);
        expect(sql).toContain('DELETE FROM "sales_crm"."customers"');
        expect(sql.join('\n')).not.toMatch(
          /DROP TABLE "sales_crm"."customers"|RENAME/,
        );
        expect(
          await engine.refresh('sales-crm-customers', 'customers'),
        ).toMatchObject({ built: true, rowCount: 500 });
      } finally {
        await reading.release();
      }
      const again = await engine.apply(
        withStrategy(demoRequest('sales-crm-customers'), 'delete-insert'),
      );
      expect(again.plan.steps).toEqual([]);
    } finally {
      await cleanup();
    }
  });

  it('refuses an unknown strategy, and one on a view port, naming the value', async () => {
    const { engine, cleanup } = await createTestWarehouse(databases);
    try {
      await expect(
        engine.plan(withStrategy(demoRequest('sales-crm-customers'), 'merge')),
      ).rejects.toThrow(
        `Invalid refreshStrategy of output port 'customers' "merge": must be swap or delete-insert`,
      );
      await expect(
        engine.plan(
          withStrategy(demoRequest('sales-erp-orders'), 'delete-insert'),
        ),
      ).rejects.toThrow(
        `Output port 'orders' is a postgres-view, which is live and never refreshed: remove its refreshStrategy "delete-insert"`,
      );
    } finally {
      await cleanup();
    }
  });
});
