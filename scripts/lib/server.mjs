// The running portal: the built frontend served by the backend on one
// database server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WAREHOUSE_DATABASE, acquireDatabase, databaseEnv, seed } from './database.mjs';
import { portInUse } from './postgres.mjs';
import { PortalError, ROOT, run, say } from './process.mjs';
import { waitFor } from './wait.mjs';

/** The port the portal listens on. */
export const PORTAL_PORT = 7007;

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs,
    );
  }
  return newest;
}

/** Builds the frontend when its sources (or a frontend plugin's) changed since the last build. */
export async function ensureAppBuilt() {
  const built = path.join(ROOT, 'packages/app/dist/index.html');
  const sources = [
    path.join(ROOT, 'packages/app'),
    ...fs
      .readdirSync(path.join(ROOT, 'plugins'))
      .map(name => path.join(ROOT, 'plugins', name))
      .filter(dir => !/-(backend|node)$|backend-module/.test(dir)),
    path.join(ROOT, 'app-config.yaml'),
    path.join(ROOT, 'yarn.lock'),
  ];
  const newest = Math.max(
    ...sources.map(s => (fs.statSync(s).isDirectory() ? newestMtime(s) : fs.statSync(s).mtimeMs)),
  );
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newest) return;
  say('building the frontend (packages/app)');
  const code = await run('yarn', ['workspace', 'app', 'build']);
  if (code !== 0) throw new PortalError('building the frontend failed (see above)');
}

function configArgs(external) {
  const files = ['app-config.yaml'];
  if (external) files.push('app-config.production.yaml');
  if (fs.existsSync(path.join(ROOT, 'app-config.local.yaml'))) files.push('app-config.local.yaml');
  return files.flatMap(f => ['--config', path.join(ROOT, f)]);
}

/**
 * Starts the backend (serving the built frontend) on a database; resolves with
 * the running child and a promise of its exit code once cleanup is done.
 */
export async function launchPortal({ dataDir, pgPort } = {}) {
  if (await portInUse(PORTAL_PORT)) {
    throw new PortalError(
      `port ${PORTAL_PORT} is already in use: is the portal already running? Stop it or free the port`,
    );
  }
  await ensureAppBuilt();
  const db = await acquireDatabase({ reuseRunning: false, dataDir, port: pgPort });
  try {
    await seed(db.connection, []);
  } catch (error) {
    await db.stop();
    throw error;
  }
  say(`starting the portal on http://localhost:${PORTAL_PORT}`);
  const env = { ...process.env, ...databaseEnv(db.connection), WAREHOUSE_DATABASE };
  // The backend runs in its own process group so that a signal stops all of it.
  const child = spawn(
    path.join(ROOT, 'node_modules/.bin/backstage-cli'),
    ['package', 'start', ...configArgs(db.external)],
    { cwd: path.join(ROOT, 'packages/backend'), stdio: 'inherit', env, detached: true },
  );
  const stop = signal => {
    if (child.exitCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  const exited = new Promise(resolve => {
    child.on('exit', async code => {
      if (!db.external) {
        say('stopping embedded PostgreSQL');
        await db.stop();
      }
      resolve(code ?? 0);
    });
  });
  return { env, stop, exited };
}

/** Waits until the backend at `url` reports ready, or fails after `seconds`. */
export async function waitUntilReady(url, seconds) {
  await waitFor(
    async () => {
      const response = await fetch(`${url}/.backstage/health/v1/readiness`).catch(
        () => undefined, // not listening yet
      );
      return response?.ok;
    },
    {
      timeoutMs: seconds * 1000,
      intervalMs: 1000,
      onTimeout: () =>
        new PortalError(`the portal at ${url} was not ready within ${seconds} s`),
    },
  );
}
