import {
  createTestWarehouse,
  createWarehouseTestDatabases,
  TestWarehouse,
} from '../testUtils';
import {
  goodPeople,
  peopleProduct,
  portSnapshot,
  seedPeople,
} from './__testUtils__/quality';

jest.setTimeout(180_000);

describe('declared constraints', () => {
  let warehouse: TestWarehouse;
  // Registered before the databases' own clean-up, so it runs first.
  afterAll(async () => {
    await warehouse?.cleanup();
  });
  const databases = createWarehouseTestDatabases();

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 10 });
  });

  async function constraintsOf(schema: string, table: string) {
    const { rows } = await warehouse.knex.raw(
      `SELECT con.conname AS name, con.contype AS type, pg_get_constraintdef(con.oid) AS definition
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ? AND c.relname = ? AND con.contype IN ('p', 'u') ORDER BY 1`,
      [schema, table],
    );
    return rows;
  }

  async function notNullColumns(schema: string, table: string) {
    const { rows } = await warehouse.knex.raw(
      `SELECT attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND a.attnotnull ORDER BY a.attnum`,
      [schema, table],
    );
    return rows.map((r: { attname: string }) => r.attname);
  }

  const declared = {
    id: { primaryKey: true },
    email: { unique: true },
    status: { required: true },
  };

  it.each(['swap', 'delete-insert'] as const)(
    'gives a table its constraints and keeps the old table when new rows break them (%s)',
    async refreshStrategy => {
      const { knex, engine } = warehouse;
      const table = `people_${refreshStrategy.replace('-', '_')}`;
      const name = `checked-${refreshStrategy}`;
      const schema = name.replace(/-/g, '_');
      await seedPeople(knex, table, goodPeople(8));
      const request = peopleProduct(name, {
        table,
        columns: declared,
        spec: { refreshStrategy },
      });
      await engine.apply(request);

      expect(await constraintsOf(schema, 'people')).toEqual([
        {
          name: 'people_email_key',
          type: 'u',
          definition: 'UNIQUE (email)',
        },
        { name: 'people_pkey', type: 'p', definition: 'PRIMARY KEY (id)' },
      ]);
      expect(await notNullColumns(schema, 'people')).toEqual(['id', 'status']);

      // A rebuild that passes keeps the constraints.
      await engine.refresh(name, 'people');
      expect(await constraintsOf(schema, 'people')).toHaveLength(2);
      expect(await notNullColumns(schema, 'people')).toEqual(['id', 'status']);
      const before = await portSnapshot(knex, schema, 'people');

      // Duplicates of the primary key and of a unique column, a NULL status.
      await knex(`sources.${table}`).insert([
        { id: 3, email: 'p4@example.com', status: 'active' },
        { id: 3, email: 'x@example.com', status: null },
        { id: 5, email: 'y@example.com', status: null },
      ]);
      const failure = engine.refresh(name, 'people');
      await expect(failure).rejects.toMatchObject({ name: 'InputError' });
      const message = await failure.catch(e => e.message);
      expect(message).toContain(
        `Output port 'people' of data product '${name}' failed 3 of its checks, so it was not changed (the previous version stays in place)`,
      );
      expect(message).toContain(
        'column id is declared primaryKey, but the new rows have duplicates: 3 rows, must be = 0; e.g. id 3, 5',
      );
      expect(message).toContain(
        'column email is declared unique, but the new rows have duplicates: 1 row, must be = 0; e.g. email p4@example.com',
      );
      expect(message).toContain(
        'column status is declared required, but the new rows have NULLs: 2 rows, must be = 0; e.g. id 3, 5',
      );
      expect(message).not.toMatch(/\n\s+at /);
      expect(await portSnapshot(knex, schema, 'people')).toEqual(before);

      // The failed build's results are recorded, beside the passed ones.
      const quality = await engine.quality(name, 'people');
      expect(quality.builds.map(b => b.outcome)).toEqual([
        'failed',
        'passed',
        'passed',
      ]);
      const pkey = quality.rules.find(r => r.key === 'primaryKey_id')!;
      expect(pkey.latest).toMatchObject({
        kind: 'constraint',
        value: 3,
        passed: false,
      });
      expect(pkey.history.map(h => h.passed)).toEqual([false, true, true]);
    },
  );

  it('checks a view but gives it no constraint, and keeps the old view after a failure', async () => {
    const { knex, engine } = warehouse;
    await seedPeople(knex, 'people_view', goodPeople(5));
    const name = 'checked-view';
    const request = peopleProduct(name, {
      table: 'people_view',
      columns: { id: { primaryKey: true }, status: { required: true } },
      spec: { type: 'postgres-view' },
    });
    await engine.apply(request);
    const before = await portSnapshot(knex, 'checked_view', 'people');
    expect(before.relation).toMatchObject({ relkind: 'v', constraints: null });

    // The view is live: a changed definition is what a build checks.
    await knex('sources.people_view').insert({ id: 1, status: null });
    const changed = peopleProduct(name, {
      table: 'people_view',
      columns: {
        id: { primaryKey: true, description: 'Changed' },
        status: { required: true },
      },
      spec: { type: 'postgres-view' },
    });
    await expect(engine.apply(changed)).rejects.toThrow(
      /column id is declared primaryKey, but the new rows have duplicates: 1 row, must be = 0; e\.g\. id 1\n\s+- column status is declared required, but the new rows have NULLs: 1 row, must be = 0; e\.g\. id 1/,
    );
    const after = await portSnapshot(knex, 'checked_view', 'people');
    expect(after.relation).toEqual(before.relation);
    const comment = await knex.raw(
      `SELECT col_description('checked_view.people'::regclass, 1) AS d`,
    );
    expect(comment.rows[0].d).not.toBe('Changed');
  });

  it('changes the constraints of a table read by other products in place, without breaking their views', async () => {
    const { knex, engine } = warehouse;
    await seedPeople(knex, 'people_read', goodPeople(6));
    const name = 'checked-read';
    await engine.apply(
      peopleProduct(name, {
        table: 'people_read',
        columns: { id: { primaryKey: true }, email: { required: true } },
      }),
    );
    // A view of another product reads the table.
    await knex.raw('CREATE SCHEMA reader_of_people');
    await knex.raw(
      'CREATE VIEW reader_of_people.v AS SELECT id, email FROM checked_read.people',
    );
    const before = await portSnapshot(knex, 'checked_read', 'people');

    // Loosened (not a breaking change): the table keeps its oid.
    await engine.apply(
      peopleProduct(name, {
        table: 'people_read',
        columns: { id: { unique: true } },
      }),
    );
    expect(await constraintsOf('checked_read', 'people')).toEqual([
      { name: 'people_id_key', type: 'u', definition: 'UNIQUE (id)' },
    ]);
    expect(await notNullColumns('checked_read', 'people')).toEqual([]);
    const after = await portSnapshot(knex, 'checked_read', 'people');
    expect(after.relation.oid).toBe(before.relation.oid);
    expect(after.rows).toEqual(before.rows);
    const read = await knex.raw(
      'SELECT count(*)::int AS n FROM reader_of_people.v',
    );
    expect(read.rows[0].n).toBe(6);
    await knex.raw('DROP SCHEMA reader_of_people CASCADE');
  });
});
