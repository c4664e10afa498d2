import knexFactory, { Knex } from 'knex';
import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { checkIdentifier } from './sql';

/** The warehouse settings read from `dataProducts.warehouse`. */
export interface WarehouseConfig {
  /** pg connection settings for the warehouse server (without the database). */
  connection: Knex.PgConnectionConfig;
  database: string;
  rolePrefix: string;
  sourceSchema: string;
}

/** The default warehouse database name. */
export const DEFAULT_WAREHOUSE_DATABASE = 'dataproducts_warehouse';

function connectionFrom(value: unknown): Knex.PgConnectionConfig {
  if (typeof value === 'string') {
    return { connectionString: value };
  }
  const c = (value ?? {}) as Record<string, unknown>;
  const result: Knex.PgConnectionConfig = {};
  if (c.connectionString) result.connectionString = String(c.connectionString);
  if (c.host) result.host = String(c.host);
  if (c.port) result.port = Number(c.port);
  if (c.user) result.user = String(c.user);
  if (c.password) result.password = String(c.password);
  if (c.ssl !== undefined) result.ssl = c.ssl as Knex.PgConnectionConfig['ssl'];
  return result;
}

/**
 * Reads `dataProducts.warehouse`, falling back to `backend.database.connection`
 * for the server.
 */
export function readWarehouseConfig(config: Config): WarehouseConfig {
  const warehouse = config.getOptionalConfig('dataProducts.warehouse');
  let connection: Knex.PgConnectionConfig;
  if (warehouse?.has('connection')) {
    connection = connectionFrom(warehouse.get('connection'));
  } else {
    const client = config.getOptionalString('backend.database.client');
    if (client && client !== 'pg') {
      throw new Error(
        `The data product warehouse needs PostgreSQL, but backend.database.client is '${client}'. ` +
          `Configure dataProducts.warehouse.connection.`,
      );
    }
    connection = connectionFrom(
      config.getOptional('backend.database.connection'),
    );
  }
  return {
    connection,
    database: checkIdentifier(
      warehouse?.getOptionalString('database') ?? DEFAULT_WAREHOUSE_DATABASE,
      'dataProducts.warehouse.database',
    ),
    rolePrefix: warehouse?.getOptionalString('rolePrefix') ?? 'dp_',
    sourceSchema: warehouse?.getOptionalString('sourceSchema') ?? 'sources',
  };
}

function withDatabase(
  connection: Knex.PgConnectionConfig,
  database: string,
): Knex.PgConnectionConfig {
  if (connection.connectionString) {
    const url = new URL(connection.connectionString);
    url.pathname = `/${database}`;
    return { ...connection, connectionString: url.toString() };
  }
  return { ...connection, database };
}

/**
 * Connects to the warehouse database, creating it when missing (a database
 * created at the same moment by another replica is fine).
 */
export async function connectWarehouse(
  settings: WarehouseConfig,
  logger?: LoggerService,
): Promise<Knex> {
  const admin = knexFactory({
    client: 'pg',
    connection: withDatabase(settings.connection, 'postgres'),
    pool: { min: 0, max: 1 },
  });
  try {
    const found = await admin.raw(
      'SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?',
      [settings.database],
    );
    if (found.rows.length === 0) {
      try {
        await admin.raw(`CREATE DATABASE "${settings.database}"`);
        logger?.info(`Created the warehouse database ${settings.database}`);
      } catch (error) {
        // 42P04 duplicate_database; 23505 when another replica created it
        // between our check and our CREATE DATABASE.
        const code = (error as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') {
          throw error;
        }
      }
    }
  } finally {
    await admin.destroy();
  }
  return knexFactory({
    client: 'pg',
    connection: withDatabase(settings.connection, settings.database),
    pool: { min: 0, max: 10 },
  });
}
