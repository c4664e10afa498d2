import { Knex } from 'knex';
import {
  createWarehouseTestDatabases,
  warehouseTestDatabaseId,
} from '../../testUtils';
import { migrateMetadata } from './migrate';
import { METADATA_MIGRATIONS } from './migrations';

jest.setTimeout(60_000);

/** The metadata layout as the portal created it before it was versioned. */
async function createUnversionedLayout(knex: Knex) {
  await knex.raw('CREATE SCHEMA IF NOT EXISTS "dataproducts_meta"');
  await knex.raw('REVOKE ALL ON SCHEMA "dataproducts_meta" FROM PUBLIC');
  await knex.raw(`
    CREATE TABLE IF NOT EXISTS "dataproducts_meta".products (
      product text PRIMARY KEY,
      schema_name text NOT NULL UNIQUE,
      role_name text NOT NULL UNIQUE,
      description text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  await knex.raw(`
    CREATE TABLE IF NOT EXISTS "dataproducts_meta".ports (
      product text NOT NULL REFERENCES "dataproducts_meta".products (product) ON DELETE CASCADE,
      port text NOT NULL,
      port_type text NOT NULL,
      reader_role text NOT NULL UNIQUE,
      definition_hash text NOT NULL,
      build_sql text NOT NULL,
      model_text text,
      columns jsonb NOT NULL,
      description text,
      source_table text,
      row_count bigint,
      last_built_at timestamptz,
      PRIMARY KEY (product, port)
    )`);
  await knex.raw(`
    CREATE TABLE IF NOT EXISTS "dataproducts_meta".grants (
      product text NOT NULL,
      port text NOT NULL,
      consumer text NOT NULL REFERENCES "dataproducts_meta".products (product) ON DELETE CASCADE,
      granted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (product, port, consumer),
      FOREIGN KEY (product, port) REFERENCES "dataproducts_meta".ports (product, port) ON DELETE CASCADE
    )`);
}

async function seedRows(knex: Knex) {
  await knex('dataproducts_meta.products').insert([
    { product: 'a', schema_name: 'a', role_name: 'dp_a', description: 'A' },
    { product: 'b', schema_name: 'b', role_name: 'dp_b', description: null },
  ]);
  await knex('dataproducts_meta.ports').insert({
    product: 'a',
    port: 'p',
    port_type: 'postgres-table',
    reader_role: 'dp_a__p_r',
    definition_hash: 'h',
    build_sql: 'SELECT 1 AS x',
    columns: JSON.stringify([{ name: 'x', type: 'integer' }]),
    row_count: 1,
  });
  await knex('dataproducts_meta.grants').insert({
    product: 'a',
    port: 'p',
    consumer: 'b',
  });
}

/** What the migrations after the first add to each table of the unversioned layout, in order. */
const COLUMNS_ADDED_SINCE_UNVERSIONED: Record<string, string> = {
  ports:
    ', refresh_strategy text, model_inputs jsonb, quality_checks jsonb, contract_version text, contract_constraints jsonb',
  products: ', build_timeout_ms bigint',
};

/** Every table of the metadata schema with its columns, and every row. */
async function contents(knex: Knex) {
  const columns = await knex.raw(
    `SELECT c.relname AS "table", string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'dataproducts_meta' AND c.relkind = 'r' AND c.relname <> 'schema_version'
      GROUP BY 1 ORDER BY 1`,
  );
  return {
    columns: columns.rows,
    products: await knex('dataproducts_meta.products')
      .select('product', 'schema_name', 'role_name', 'description')
      .orderBy('product'),
    ports: await knex('dataproducts_meta.ports')
      .select('product', 'port', 'build_sql', 'columns', 'row_count')
      .orderBy('port'),
    grants: await knex('dataproducts_meta.grants')
      .select('product', 'port', 'consumer')
      .orderBy('consumer'),
  };
}

async function versions(knex: Knex) {
  const result = await knex('dataproducts_meta.schema_version')
    .select('version', 'name')
    .orderBy('version');
  return result;
}

describe('metadata migrations', () => {
  const databases = createWarehouseTestDatabases();

  it('are numbered 1, 2, 3, ... in the order they apply', () => {
    expect(METADATA_MIGRATIONS.map(m => m.version)).toEqual(
      METADATA_MIGRATIONS.map((_m, index) => index + 1),
    );
  });

  it('upgrade a warehouse with the unversioned layout, keeping its rows', async () => {
    const knex = await databases.init(warehouseTestDatabaseId());
    await createUnversionedLayout(knex);
    await seedRows(knex);
    const before = await contents(knex);

    const result = await knex.transaction(trx => migrateMetadata(trx));

    expect(result).toEqual({ from: 0, to: METADATA_MIGRATIONS.length });
    const after = await contents(knex);
    expect({ ...after, columns: [] }).toEqual({ ...before, columns: [] });
    // Tables added since (quality_builds, ...) are the later migrations' own.
    const unversionedTables = new Set(
      before.columns.map((t: Record<string, string>) => t.table),
    );
    expect(
      after.columns.filter((t: Record<string, string>) =>
        unversionedTables.has(t.table),
      ),
    ).toEqual(
      before.columns.map(({ table, columns }: Record<string, string>) => ({
        table,
        columns: columns + (COLUMNS_ADDED_SINCE_UNVERSIONED[table] ?? ''),
      })),
    );
    expect(await versions(knex)).toEqual(
      METADATA_MIGRATIONS.map(({ version, name }) => ({ version, name })),
    );
    const again = await knex.transaction(trx => migrateMetadata(trx));
    expect(again).toEqual({
      from: METADATA_MIGRATIONS.length,
      to: METADATA_MIGRATIONS.length,
    });
    expect(await versions(knex)).toHaveLength(METADATA_MIGRATIONS.length);
  });

  it('create the layout in an empty warehouse, the same as the unversioned one', async () => {
    const unversioned = await databases.init(warehouseTestDatabaseId());
    await createUnversionedLayout(unversioned);
    const empty = await databases.init(warehouseTestDatabaseId());
    await empty.transaction(trx =>
      migrateMetadata(trx, METADATA_MIGRATIONS.slice(0, 1)),
    );
    expect((await contents(empty)).columns).toEqual(
      (await contents(unversioned)).columns,
    );
    const access = await empty.raw(
      "SELECT has_schema_privilege('public', 'dataproducts_meta', 'USAGE') AS usage",
    );
    expect(access.rows[0].usage).toBe(false);
  });

  it('apply only the migrations newer than the recorded version, in order', async () => {
    const knex = await databases.init(warehouseTestDatabaseId());
    await knex.transaction(trx => migrateMetadata(trx));
    const applied: number[] = [];
    const latest = METADATA_MIGRATIONS.length;
    const next = [latest + 1, latest + 2].map(version => ({
      version,
      name: `test ${version}`,
      up: async (trx: Knex.Transaction, schema: string) => {
        applied.push(version);
        await trx.raw(
          `ALTER TABLE ${schema}.products ADD COLUMN IF NOT EXISTS note_${version} text`,
        );
      },
    }));
    await knex.transaction(trx =>
      migrateMetadata(trx, [...METADATA_MIGRATIONS, next[0]]),
    );
    await knex.transaction(trx =>
      migrateMetadata(trx, [...METADATA_MIGRATIONS, ...next]),
    );
    expect(applied).toEqual([latest + 1, latest + 2]);
    expect((await versions(knex)).map(v => v.version)).toEqual([
      ...METADATA_MIGRATIONS.map(m => m.version),
      latest + 1,
      latest + 2,
    ]);
  });

  it('refuse a metadata schema that a newer portal migrated', async () => {
    const knex = await databases.init(warehouseTestDatabaseId());
    await knex.transaction(trx => migrateMetadata(trx));
    await knex('dataproducts_meta.schema_version').insert({
      version: 99,
      name: 'from the future',
    });
    await expect(
      knex.transaction(trx => migrateMetadata(trx)),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `is at version 99, but this portal knows versions up to ${METADATA_MIGRATIONS.length}`,
      ),
    });
  });
});
