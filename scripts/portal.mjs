// The portal's commands, run by ./portal once Node 22+, Yarn 4 and the
// dependencies are in place.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  embeddedConnection,
  freePort,
  portInUse,
  startEmbeddedPostgres,
} from './lib/postgres.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STATE = path.join(ROOT, '.portal');
const PG_DATA = path.join(STATE, 'postgres');
const PORTAL_PORT = 7007;
const WAREHOUSE_DATABASE = process.env.WAREHOUSE_DATABASE || 'dataproducts_warehouse';

const say = message => console.error(`portal: ${message}`);

class PortalError extends Error {}

/**
 * Runs a command, echoing its output; resolves with its exit code and the
 * counts of its last `N passed, N failed` line, if it printed one.
 */
function runCounting(command, args, options = {}) {
  return new Promise(resolve => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['inherit', 'pipe', 'inherit'], ...options });
    let counts;
    let pending = '';
    child.stdout.on('data', chunk => {
      process.stdout.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const match = /(\d+) passed, (\d+) failed/.exec(line);
        if (match) counts = { passed: Number(match[1]), failed: Number(match[2]) };
      }
    });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), counts }));
  });
}

/** Runs a command, inheriting stdio; resolves with its exit code. */
function run(command, args, options = {}) {
  return new Promise(resolve => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** A new temporary folder that the (unprivileged) PostgreSQL server can enter. */
function scratchDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

function externalDatabase() {
  const { POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD } = process.env;
  if (!POSTGRES_HOST) return undefined;
  return {
    host: POSTGRES_HOST,
    port: Number(POSTGRES_PORT || 5432),
    user: POSTGRES_USER || 'postgres',
    password: POSTGRES_PASSWORD || '',
  };
}

/**
 * The database server to use: the one POSTGRES_* names, else the embedded one
 * (started here, or reused when a running portal already started it).
 */
async function acquireDatabase({ reuseRunning, dataDir = PG_DATA, port: pgPort }) {
  const external = externalDatabase();
  if (external) {
    say(`using PostgreSQL at ${external.host}:${external.port} (POSTGRES_HOST is set)`);
    return { connection: external, external: true, stop: async () => {} };
  }
  const port = pgPort ?? Number(process.env.PORTAL_PG_PORT || 54320);
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

function databaseEnv(connection) {
  return {
    POSTGRES_HOST: connection.host,
    POSTGRES_PORT: String(connection.port),
    POSTGRES_USER: connection.user,
    POSTGRES_PASSWORD: connection.password,
  };
}

/** Loads the scenario's source tables through packages/demo-data. */
async function seed(connection, args) {
  await ensureDatabase(connection, WAREHOUSE_DATABASE);
  const code = await run(
    process.execPath,
    ['-r', 'sucrase/register', path.join(ROOT, 'packages/demo-data/src/cli.ts'), ...args],
    { env: { ...process.env, ...databaseEnv(connection), WAREHOUSE_DATABASE } },
  );
  if (code !== 0) throw new PortalError('seeding the source tables failed (see above)');
}

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
async function ensureAppBuilt() {
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
async function launchPortal({ dataDir, pgPort } = {}) {
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

async function start() {
  const portal = await launchPortal();
  process.on('SIGINT', () => portal.stop('SIGINT'));
  process.on('SIGTERM', () => portal.stop('SIGTERM'));
  return portal.exited;
}

/** Waits until the backend reports ready, or fails after `seconds`. */
async function waitUntilReady(url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/.backstage/health/v1/readiness`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new PortalError(`the portal at ${url} was not ready within ${seconds} s`);
}

/** Runs the e-commerce scenario against a running portal. */
async function demo(args) {
  // The demo reads customer_activity from the warehouse of the running portal.
  const env = externalDatabase()
    ? process.env
    : {
        ...process.env,
        ...databaseEnv(embeddedConnection(PG_DATA, Number(process.env.PORTAL_PG_PORT || 54320))),
      };
  return run(process.execPath, [path.join(ROOT, 'scripts/demo.mjs'), ...args], { env });
}

/**
 * The browser test: a portal on a fresh embedded database, the demo, then
 * headless Chromium through the pages.
 */
async function e2e() {
  const scratch = scratchDir('portal-e2e-');
  const portal = await launchPortal({
    dataDir: path.join(scratch, 'postgres'),
    pgPort: await freePort(),
  });
  const url = `http://localhost:${PORTAL_PORT}`;
  let passed = 0;
  let failed = 0;
  try {
    await waitUntilReady(url, 180);
    const env = { ...portal.env, PORTAL_URL: url, E2E_SCREENSHOTS: path.join(ROOT, 'docs/images') };
    say('e2e: the demo scenario through the REST API');
    const demoRun = await runCounting(process.execPath, [path.join(ROOT, 'scripts/demo.mjs')], { env });
    if (demoRun.code === 0) passed++;
    else failed++;
    if (demoRun.code === 0) {
      say('e2e: the pages in headless Chromium');
      const browser = await runCounting(
        process.execPath,
        [path.join(ROOT, 'plugins/data-products/e2e/portal.e2e.mjs')],
        { env },
      );
      passed += browser.counts?.passed ?? 0;
      failed += browser.counts?.failed ?? 0;
      // A crash before any check ran still counts as a failure.
      if (browser.code !== 0 && !browser.counts?.failed) failed++;
    }
  } finally {
    portal.stop('SIGTERM');
    await portal.exited;
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function bench(args) {
  const [name, ...rest] = args;
  const scripts = fs.readdirSync(path.join(ROOT, 'bench')).filter(f => /\.(mjs|js|ts)$/.test(f));
  const file = scripts.find(f => f.replace(/\.(mjs|js|ts)$/, '') === name);
  if (!file) {
    throw new PortalError(
      `bench takes the name of a benchmark in bench/: ${scripts.map(f => f.replace(/\.(mjs|js|ts)$/, '')).join(', ') || '(none)'}`,
    );
  }
  const db = await acquireDatabase({ reuseRunning: true });
  try {
    const { host, port, user, password } = db.connection;
    const loader = file.endsWith('.ts') ? ['-r', 'sucrase/register'] : [];
    return await run(process.execPath, [...loader, path.join(ROOT, 'bench', file), ...rest], {
      env: {
        ...process.env,
        ...databaseEnv(db.connection),
        BENCH_DATABASE_URL: `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}`,
      },
    });
  } finally {
    await db.stop();
  }
}

async function seedCommand(args) {
  const db = await acquireDatabase({ reuseRunning: true });
  try {
    await seed(db.connection, args);
  } finally {
    await db.stop();
  }
  return 0;
}

/** Sums jest's JSON results over every package. */
function countTests(resultsFile) {
  if (!fs.existsSync(resultsFile)) return undefined;
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  return {
    passed: results.numPassedTests,
    failed: results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0),
    skipped: results.numPendingTests + results.numTodoTests,
  };
}

async function test(args) {
  const steps = [];
  const env = { ...process.env, BACKSTAGE_TEST_DISABLE_DOCKER: '1', CI: 'true' };
  const runStep = async (name, command, commandArgs, extraEnv = {}) => {
    say(`${name}: ${command} ${commandArgs.join(' ')}`);
    const code = await run(command, commandArgs, { env: { ...env, ...extraEnv } });
    steps.push({ name, ok: code === 0 });
    return code;
  };

  await runStep('lint', 'yarn', ['backstage-cli', 'repo', 'lint']);
  await runStep('type check', 'yarn', ['tsc']);

  let db;
  const given = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES18_CONNECTION_STRING;
  let connectionString = given;
  if (!given) {
    const dataDir = scratchDir('portal-test-pg-');
    const port = await freePort();
    say(`starting a throwaway embedded PostgreSQL for the tests on port ${port}`);
    db = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), port });
    connectionString = db.connectionString;
    db.dataDir = dataDir;
  }
  const resultsFile = path.join(os.tmpdir(), `portal-test-results-${process.pid}.json`);
  try {
    await runStep(
      'tests',
      'yarn',
      ['backstage-cli', 'repo', 'test', '--json', `--outputFile=${resultsFile}`, ...args],
      { BACKSTAGE_TEST_DATABASE_POSTGRES18_CONNECTION_STRING: connectionString },
    );
  } finally {
    if (db) {
      await db.stop();
      fs.rmSync(db.dataDir, { recursive: true, force: true });
    }
  }
  const counts = countTests(resultsFile) ?? { passed: 0, failed: 1, skipped: 0 };
  fs.rmSync(resultsFile, { force: true });
  for (const step of steps) say(`${step.ok ? 'ok    ' : 'FAILED'} ${step.name}`);
  const failedSteps = steps.filter(s => !s.ok).length;
  // Lint or type-check failures count as failures too, so the closing line never hides them.
  const failed = counts.failed + steps.filter(s => !s.ok && s.name !== 'tests').length;
  console.log(`${counts.passed} passed, ${failed} failed, ${counts.skipped} skipped`);
  return failedSteps === 0 && counts.failed === 0 ? 0 : 1;
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'start':
      return start();
    case 'seed':
      return seedCommand(args);
    case 'test':
      return test(args);
    case 'demo':
      return demo(args);
    case 'e2e':
      return e2e();
    case 'bench':
      return bench(args);
    default:
      throw new PortalError(`unknown command '${command}'`);
  }
}

main().then(
  code => process.exit(code),
  error => {
    say(error instanceof PortalError ? error.message : error.stack || String(error));
    process.exit(1);
  },
);
