import knexFactory, { Knex } from 'knex';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/** The PostgreSQL versions the warehouse engine supports, as test database ids. */
export const WAREHOUSE_TEST_DATABASE_IDS = [
  'POSTGRES_15',
  'POSTGRES_16',
  'POSTGRES_17',
  'POSTGRES_18',
] as const;

/**
 * The test database the warehouse suites run on: `DATAPRODUCTS_TEST_POSTGRES`
 * (e.g. `POSTGRES_15`), by default `POSTGRES_18`. `TestDatabases` connects
 * to `BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING` for it.
 */
export function warehouseTestDatabaseId(): TestDatabaseId {
  const id = process.env.DATAPRODUCTS_TEST_POSTGRES || 'POSTGRES_18';
  if (!(WAREHOUSE_TEST_DATABASE_IDS as readonly string[]).includes(id)) {
    throw new Error(
      `DATAPRODUCTS_TEST_POSTGRES is ${JSON.stringify(
        id,
      )}: use one of ${WAREHOUSE_TEST_DATABASE_IDS.join(', ')}`,
    );
  }
  return id as TestDatabaseId;
}

/** `TestDatabases` for the warehouse test database; call it in a `describe` block. */
export function createWarehouseTestDatabases(): TestDatabases {
  return TestDatabases.create({ ids: [warehouseTestDatabaseId()] });
}

/**
 * The connection string of the warehouse test server, from
 * `BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING`, for tests that
 * create databases of their own.
 */
export function warehouseTestConnectionString(): string {
  const variable = `BACKSTAGE_TEST_DATABASE_${warehouseTestDatabaseId().replace(
    '_',
    '',
  )}_CONNECTION_STRING`;
  const value = process.env[variable];
  if (!value) {
    throw new Error(`Set ${variable} to the PostgreSQL server tests may use`);
  }
  return value;
}

/** A second connection to the same test database as another user. */
export function connectAs(knex: Knex, user: string, password: string): Knex {
  const connection = knex.client.config.connection as Knex.PgConnectionConfig;
  return knexFactory({
    client: 'pg',
    connection: { ...connection, user, password },
    pool: { min: 0, max: 5 },
  });
}
