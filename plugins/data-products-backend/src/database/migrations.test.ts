import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { type Knex } from 'knex';
import { RegistryStore } from '../registry';
import { applyDatabaseMigrations } from './migrations';

jest.setTimeout(60_000);

const product = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'sales-crm-customers' },
  spec: {
    type: 'source-aligned',
    lifecycle: 'production',
    owner: 'group:sales',
    schema: 'sales_crm',
  },
};

// The registry table as the plugin created it in code before it had migrations.
async function createLegacyRegistryTable(knex: Knex) {
  await knex.schema.createTable('data_product_registry', table => {
    table.string('name', 63).primary().notNullable();
    table.jsonb('product').notNullable();
    table.jsonb('ports').notNullable();
    table.string('status', 20).notNullable();
    table.text('error').nullable();
    table.string('registered_by').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
}

async function registryColumns(knex: Knex) {
  const { rows } = await knex.raw(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS "notNull"
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = 'data_product_registry' AND c.relkind = 'r'
        AND n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
  );
  return rows;
}

/** Every migration of the package, in the order knex applies them. */
const MIGRATIONS = [
  '20261201000000_registry.js',
  '20261201a_refresh_runs.js',
  '20261215000000_access_requests.js',
  '20261220000000_mesh_index.js',
  '20261220000001_registry_changes.js',
  '20261220000003_explore_indexes.js',
];

async function appliedMigrations(knex: Knex): Promise<string[]> {
  const rows = await knex('knex_migrations').select('name').orderBy('id');
  return rows.map(row => row.name);
}

describe('applyDatabaseMigrations', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  it('creates the registry table on a new database', async () => {
    const knex = await databases.init('POSTGRES_18');
    await applyDatabaseMigrations(knex);

    expect(await registryColumns(knex)).toEqual([
      { name: 'name', type: 'character varying(63)', notNull: true },
      { name: 'product', type: 'jsonb', notNull: true },
      { name: 'ports', type: 'jsonb', notNull: true },
      { name: 'status', type: 'character varying(20)', notNull: true },
      { name: 'error', type: 'text', notNull: false },
      { name: 'registered_by', type: 'character varying(255)', notNull: false },
      {
        name: 'created_at',
        type: 'timestamp with time zone',
        notNull: true,
      },
      {
        name: 'updated_at',
        type: 'timestamp with time zone',
        notNull: true,
      },
    ]);
    expect(await appliedMigrations(knex)).toEqual(MIGRATIONS);
  });

  it('upgrades a database whose registry table the plugin made before migrations, keeping its rows', async () => {
    const knex = await databases.init('POSTGRES_18');
    await createLegacyRegistryTable(knex);
    const registeredAt = new Date('2026-01-02T03:04:05.678Z');
    await knex('data_product_registry').insert({
      name: 'sales-crm-customers',
      product: JSON.stringify(product),
      ports: JSON.stringify([]),
      status: 'provisioned',
      registered_by: 'user:default/guest',
      created_at: registeredAt,
      updated_at: registeredAt,
    });
    const legacyColumns = await registryColumns(knex);

    await applyDatabaseMigrations(knex);

    expect(await registryColumns(knex)).toEqual(legacyColumns);
    expect(await appliedMigrations(knex)).toEqual(MIGRATIONS);
    expect(await new RegistryStore(knex).list()).toEqual([
      {
        product,
        ports: [],
        status: 'provisioned',
        registeredBy: 'user:default/guest',
        createdAt: registeredAt.toISOString(),
        updatedAt: registeredAt.toISOString(),
      },
    ]);
  });

  it('lets replicas that start together on a new database migrate it once', async () => {
    const knex = await databases.init('POSTGRES_18');
    // A second replica: its own connection pool on the same database.
    const replica = knexFactory(knex.client.config);
    try {
      await Promise.all([
        applyDatabaseMigrations(knex),
        applyDatabaseMigrations(replica),
        applyDatabaseMigrations(knex),
      ]);
      expect(await appliedMigrations(knex)).toEqual(MIGRATIONS);
      expect(await registryColumns(replica)).toHaveLength(8);
    } finally {
      await replica.destroy();
    }
  });

  it('is a no-op on an up-to-date database', async () => {
    const knex = await databases.init('POSTGRES_18');
    await applyDatabaseMigrations(knex);
    await applyDatabaseMigrations(knex);
    expect(await appliedMigrations(knex)).toEqual(MIGRATIONS);
  });
});
