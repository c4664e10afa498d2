// A portal for the scale bench: the backend serving the built frontend, as
// the portal's own start script runs it (scripts/lib/server.mjs), on a
// throwaway embedded database, with extra catalog files; a guest token; and
// what the bench reads of the running backend (its process's CPU time and
// RSS, PostgreSQL's connections).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  WAREHOUSE_DATABASE,
  acquireDatabase,
  databaseEnv,
  seed,
} from '../../scripts/lib/database.mjs';
import { freePort } from '../../scripts/lib/postgres.mjs';
import { ROOT } from '../../scripts/lib/process.mjs';
import { waitUntilReady } from '../../scripts/lib/server.mjs';

/** The demo organisation's catalog file, which every bench portal also loads. */
const DEMO_LOCATION = { type: 'file', target: '../../catalog-info/all.yaml' };

/** The portals running now, for `stopAll` on an interrupted run. */
const running = new Set();

/** Stops every portal this bench started (after Ctrl-C). */
export async function stopAll() {
  await Promise.all([...running].map(stop => stop()));
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux). */
const CLOCK_TICKS =
  Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted from the state field (3).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** The process's resident set size, in MiB. */
export function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/**
 * Starts a portal (serving the frontend as built: the bench builds it once,
 * before its first portal) on a fresh embedded database in `scratch`, reading the
 * demo's catalog and `files` as file Locations; resolves once it is ready,
 * with its URL, the backend's pid, a guest `request` helper, a PostgreSQL
 * client factory and `stop()`.
 */
export async function startPortal({ scratch, files = [], log }) {
  // A port of its own, so that the bench runs beside a portal on 7007 (and
  // the browser tests' portals); the app reads its base URL from the backend.
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const db = await acquireDatabase({
    reuseRunning: false,
    dataDir: path.join(scratch, 'postgres'),
    port: await freePort(),
  });
  await seed(db.connection, []);
  const locations = [
    DEMO_LOCATION,
    ...files.map(target => ({ type: 'file', target })),
  ];
  const env = {
    ...process.env,
    ...databaseEnv(db.connection),
    WAREHOUSE_DATABASE,
    NODE_ENV: 'development',
    APP_CONFIG_catalog_locations: JSON.stringify(locations),
    APP_CONFIG_backend_listen_port: String(port),
    APP_CONFIG_backend_baseUrl: url,
    APP_CONFIG_app_baseUrl: url,
    // The backend's own log would drown the bench's progress.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
    ESBK_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json'),
  };
  // The backend as `backstage-cli package start` runs it, without its file
  // watcher: a source edited during a run must not restart the backend.
  const backendDir = path.join(ROOT, 'packages/backend');
  const transform = createRequire(
    path.join(backendDir, 'package.json'),
  ).resolve('@backstage/cli-node/config/nodeTransform.cjs');
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      transform,
      'src/index.ts',
      '--config',
      path.join(ROOT, 'app-config.yaml'),
    ],
    { cwd: backendDir, env, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  // A bench stopped half-way takes its backend along.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise(resolve =>
    child.on('exit', code => {
      process.off('exit', orphanGuard);
      resolve(code ?? 0);
    }),
  );
  const portal = {
    env,
    stop: signal => child.exitCode === null && child.kill(signal),
    exited: exited.then(async code => {
      await db.stop();
      return code;
    }),
  };
  try {
    await waitUntilReady(url, 300);
  } catch (error) {
    portal.stop('SIGTERM');
    await portal.exited;
    throw error;
  }
  const readyAt = performance.now();
  const pid = child.pid;
  const connection = {
    host: portal.env.POSTGRES_HOST,
    port: Number(portal.env.POSTGRES_PORT),
    user: portal.env.POSTGRES_USER,
    password: portal.env.POSTGRES_PASSWORD,
  };
  const client = async database => {
    const c = new pg.Client({ ...connection, database });
    await c.connect();
    return c;
  };
  let token;
  let tokenAt = 0;
  const signIn = async () => {
    const response = await fetch(`${url}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const body = await response.json();
    token = body?.backstageIdentity?.token;
    if (!token)
      throw new Error(`guest sign-in gave no token (${response.status})`);
    tokenAt = Date.now();
    return token;
  };
  const getToken = async () =>
    token && Date.now() - tokenAt < 30 * 60_000 ? token : signIn();
  /** One request to the portal as guest; resolves with `{ status, body, ms }`. */
  const request = async (method, route, { body, allow = [] } = {}) => {
    const headers = {
      Authorization: `Bearer ${await getToken()}`,
      'X-Requested-With': 'XMLHttpRequest',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    };
    const started = performance.now();
    const response = await fetch(`${url}${route}`, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!response.ok && !allow.includes(response.status)) {
      const message = parsed?.error?.message ?? String(text).slice(0, 300);
      const error = new Error(
        `${method} ${route} answered ${response.status}: ${message}`,
      );
      error.status = response.status;
      throw error;
    }
    return { status: response.status, body: parsed, ms };
  };
  log?.(`portal ready at ${url} (backend pid ${pid ?? 'unknown'})`);
  const stop = async () => {
    running.delete(stop);
    portal.stop('SIGTERM');
    const code = await Promise.race([
      portal.exited,
      sleep(60_000).then(() => 'timeout'),
    ]);
    if (code === 'timeout') portal.stop('SIGKILL');
  };
  running.add(stop);
  return {
    url,
    pid,
    readyAt,
    connection,
    client,
    request,
    getToken,
    stop,
  };
}

/**
 * The connections the portal holds on its PostgreSQL server, by database
 * (client backends only, this query's own left out).
 */
export async function connectionsByDatabase(portal) {
  const c = await portal.client('postgres');
  try {
    const { rows } = await c.query(
      `SELECT coalesce(datname, '') AS db, count(*)::int AS n FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
        GROUP BY 1 ORDER BY 2 DESC`,
    );
    return rows;
  } finally {
    await c.end();
  }
}

/** The backend's CPU use over `seconds` of idling (share of one core) and its RSS after. */
export async function measureIdle(portal, seconds) {
  const before = cpuSeconds(portal.pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const used = cpuSeconds(portal.pid) - before;
  const elapsed = (performance.now() - t0) / 1000;
  return { cpu: used / elapsed, rss: rssMiB(portal.pid) };
}
