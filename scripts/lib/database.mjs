// The portal's database server: the one POSTGRES_* names, else the embedded
// one, and the warehouse database with the demo's source tables in it.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { embeddedConnection, portInUse, startEmbeddedPostgres } from './postgres.mjs';
import { PortalError, ROOT, STATE, run, say } from './process.mjs';

/** The embedded server's data folder, kept across restarts. */
export const PG_DATA = path.join(STATE, 'postgres');

/** The database that holds the warehouse (the products' schemas and the sources). */
export const WAREHOUSE_DATABASE = process.env.WAREHOUSE_DATABASE || 'dataproducts_warehouse';

/** The port of the portal's embedded server. */
export const embeddedPort = () => Number(process.env.PORTAL_PG_PORT || 54320);

/** The server POSTGRES_* names, or undefined when POSTGRES_HOST is not set. */
export function externalDatabase() {
  const { POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD } = process.env;
  if (!POSTGRES_HOST) return undefined;
  return {
    host: POSTGRES_HOST,
    port: Number(POSTGRES_PORT || 5432),
    user: POSTGRES_USER || 'postgres',
    password: POSTGRES_PASSWORD || '',
  };
}

/** The POSTGRES_* variables that point the backend and the scripts at a server. */
export function databaseEnv(connection) {
  return {
    POSTGRES_HOST: connection.host,
    POSTGRES_PORT: String(connection.port),
    POSTGRES_USER: connection.user,
    POSTGRES_PASSWORD: connection.password,
  };
}

/**
 * The database server to use: the one POSTGRES_* names, else the embedded one
 * (started here, or reused when a running portal already started it).
 */
export async function acquireDatabase({ reuseRunning, dataDir = PG_DATA, port: pgPort }) {
  const external = externalDatabase();
  if (external) {
    say(`using PostgreSQL at ${external.host}:${external.port} (POSTGRES_HOST is set)`);
    return { connection: external, external: true, stop: async () => {} };
  }
  const port = pgPort ?? embeddedPort();
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (reuseRunning && fs.existsSync(pidFile) && (await portInUse(port))) {
    return { connection: embeddedConnection(dataDir, port), external: false, stop: async () => {} };
  }
  say(`starting embedded PostgreSQL on port ${port} (data in ${path.relative(ROOT, dataDir)})`);
  const server = await startEmbeddedPostgres({
    dataDir,
    port,
    log: message => {
      if (process.env.PORTAL_DEBUG) console.error(message);
    },
  });
  return { connection: server.connection, external: false, stop: server.stop };
}

async function ensureDatabase(connection, database) {
  const client = new pg.Client({ ...connection, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}

/** Loads the scenario's source tables through the demo-data CLI (`args` are its options). */
export async function seed(connection, args) {
  await ensureDatabase(connection, WAREHOUSE_DATABASE);
  const code = await run(
    process.execPath,
    ['-r', 'sucrase/register', path.join(ROOT, 'packages/demo-data/src/cli.ts'), ...args],
    { env: { ...process.env, ...databaseEnv(connection), WAREHOUSE_DATABASE } },
  );
  if (code !== 0) throw new PortalError('seeding the source tables failed (see above)');
}
