/*
 * Benchmark: what scheduled refresh costs between runs. Two backends run side
 * by side on one PostgreSQL server, each with Backstage's real scheduler
 * (DefaultSchedulerService, global tasks in its own plugin database) and the
 * portal's real refresh wiring (RefreshScheduler reconciling with the
 * catalog, RefreshService recording every run, the freshness check):
 *
 *   - "200 schedules": a catalog of 200 table ports, each { every: PT1M };
 *   - "no schedules":  the same catalog without spec.refresh.
 *
 * For BENCH_SECONDS both are sampled every second: CPU time of each backend
 * process (/proc/<pid>/stat), its PostgreSQL connections (pg_stat_activity:
 * open, and running a statement) and the transactions its database commits
 * (pg_stat_database). The refresh itself answers at once, so that what is
 * measured is the scheduler's cost: polling, claiming, recording runs and
 * checking freshness (what a build costs is the materialize bench).
 *
 *   ./portal bench scheduler
 *
 * Environment:
 *   BENCH_DATABASE_URL  the PostgreSQL server (a superuser connection);
 *                       `./portal bench` sets it to the portal's server
 *   BENCH_PORTS         table ports with a schedule (default 200)
 *   BENCH_SECONDS       how long to measure, after the warm-up (default 180)
 *   BENCH_WARMUP        seconds before measuring (default 30)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import knexFactory, { type Knex } from 'knex';

const DEFAULT_SERVER = 'postgresql://postgres:postgres@127.0.0.1:54320';
const CLOCK_TICKS = 100; // USER_HZ on Linux

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The catalog of a backend: `ports` table ports, every one scheduled or none. */
function catalogOf(ports: number, scheduled: boolean) {
  const entities: object[] = [];
  for (let i = 0; i < ports; i++) {
    const product = `bench-product-${i}`;
    entities.push(
      {
        apiVersion: 'dataproducts.io/v1alpha1',
        kind: 'DataProduct',
        metadata: { name: product, namespace: 'default' },
        spec: {
          type: 'source-aligned',
          lifecycle: 'production',
          owner: 'group:default/data-platform',
          schema: `bench_${i}`,
        },
      },
      {
        apiVersion: 'dataproducts.io/v1alpha1',
        kind: 'OutputPort',
        metadata: { name: `${product}-rows`, namespace: 'default' },
        spec: {
          dataProduct: product,
          name: 'rows',
          type: 'postgres-table',
          ...(scheduled
            ? {
                refresh: {
                  schedule: { every: 'PT1M' },
                  freshness: { maxAge: 'PT2H' },
                },
              }
            : {}),
        },
      },
    );
  }
  return entities;
}

/** The child: one backend's refresh wiring on the real scheduler, until killed. */
async function child(database: string, ports: number, scheduled: boolean) {
  const { DefaultSchedulerService } = await import(
    '@backstage/backend-defaults/scheduler'
  );
  const { applyDatabaseMigrations } = await import(
    '../plugins/data-products-backend/src/database/migrations'
  );
  const { RefreshCatalog } = await import(
    '../plugins/data-products-backend/src/refresh/RefreshCatalog'
  );
  const { RefreshRunStore } = await import(
    '../plugins/data-products-backend/src/refresh/RefreshRunStore'
  );
  const { RefreshService } = await import(
    '../plugins/data-products-backend/src/refresh/RefreshService'
  );
  const { RefreshScheduler } = await import(
    '../plugins/data-products-backend/src/refresh/RefreshScheduler'
  );
  const { RefreshNotifier } = await import(
    '../plugins/data-products-backend/src/refresh/RefreshNotifier'
  );
  const { readRefreshConfig } = await import(
    '../plugins/data-products-backend/src/refresh/readRefreshConfig'
  );
  const { ConfigReader } = await import('@backstage/config');

  const knex = knexFactory({
    client: 'pg',
    connection: database,
    pool: { min: 0, max: 10 },
  });
  await applyDatabaseMigrations(knex);
  const logger: any = {
    info() {},
    debug() {},
    warn: (message: string) => process.stderr.write(`warn: ${message}\n`),
    error: (message: string) => process.stderr.write(`error: ${message}\n`),
    child: () => logger,
  };
  const instrument = { add() {}, record() {} };
  const scheduler = DefaultSchedulerService.create({
    database: { getClient: async () => knex } as any,
    logger,
    metrics: {
      createCounter: () => instrument,
      createHistogram: () => instrument,
      createGauge: () => instrument,
    } as any,
    rootLifecycle: {
      addShutdownHook() {},
      addStartupHook() {},
      addBeforeShutdownHook() {},
    } as any,
    httpRouter: { use() {}, addAuthPolicy() {} } as any,
    pluginMetadata: { getId: () => 'data-products' },
  });
  const entities = catalogOf(ports, scheduled);
  const catalog = new RefreshCatalog({
    catalog: { getEntities: async () => ({ items: entities }) } as any,
    auth: { getOwnServiceCredentials: async () => ({}) } as any,
  });
  const service = new RefreshService({
    store: new RefreshRunStore(knex),
    catalog,
    // The build answers at once: this bench measures the scheduling around it.
    warehouse: {
      refresh: async (product: string, port: string) => ({
        name: port,
        object: `${product}.${port}`,
        type: 'postgres-table' as const,
        rowCount: 1,
        built: true,
      }),
      builds: async () => [],
    },
    notifier: new RefreshNotifier({
      notifications: { send: async () => {} } as any,
      logger,
    }),
    history: { record: async () => ({}), refused: async () => {} } as any,
    permissions: {} as any,
    logger,
    retry: { attempts: 3, backoffMs: 5000 },
  });
  await new RefreshScheduler({
    scheduler,
    catalog,
    service,
    config: readRefreshConfig(new ConfigReader({})),
    logger,
  }).start();
  process.send?.('ready');
}

function cpuSeconds(pid: number): number {
  const fields = fs
    .readFileSync(`/proc/${pid}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after "(comm) ".
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

interface Side {
  label: string;
  database: string;
  process: ChildProcess;
  cpu: number[];
  connections: number[];
  active: number[];
}

function start(
  label: string,
  database: string,
  ports: number,
  scheduled: boolean,
) {
  const proc = spawn(
    process.execPath,
    [
      '-r',
      'sucrase/register',
      __filename,
      '--child',
      database,
      String(ports),
      String(scheduled),
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  const ready = new Promise<void>((resolve, reject) => {
    proc.once('message', () => resolve());
    proc.once('exit', code =>
      reject(new Error(`${label} exited with ${code}`)),
    );
  });
  return {
    side: {
      label,
      database,
      process: proc,
      cpu: [],
      connections: [],
      active: [],
    } as Side,
    ready,
  };
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function average(values: number[]) {
  return values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
}

async function main() {
  const server = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER;
  const ports = Number(process.env.BENCH_PORTS ?? 200);
  const seconds = Number(process.env.BENCH_SECONDS ?? 180);
  const warmUp = Number(process.env.BENCH_WARMUP ?? 30);
  const suffix = randomBytes(4).toString('hex');
  const names = [`dp_bench_sched_${suffix}`, `dp_bench_idle_${suffix}`];
  const admin: Knex = knexFactory({
    client: 'pg',
    connection: withDatabase(server, 'postgres'),
  });
  for (const name of names) {
    await admin.raw(`CREATE DATABASE ${name}`);
  }
  const sides: Side[] = [];
  try {
    const a = start(
      `${ports} schedules`,
      withDatabase(server, names[0]),
      ports,
      true,
    );
    const b = start(
      'no schedules',
      withDatabase(server, names[1]),
      ports,
      false,
    );
    sides.push(a.side, b.side);
    await Promise.all([a.ready, b.ready]);
    console.log(
      `Both backends ready; warming up for ${warmUp} s, then measuring for ${seconds} s`,
    );
    await new Promise(resolve => setTimeout(resolve, warmUp * 1000));

    const xacts = async () => {
      const { rows } = await admin.raw(
        'SELECT datname, xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = ANY(?)',
        [names],
      );
      return new Map(
        rows.map((r: { datname: string; n: string }) => [
          r.datname,
          Number(r.n),
        ]),
      );
    };
    const runs = async (database: string) => {
      const db = knexFactory({ client: 'pg', connection: database });
      try {
        const [{ n }] = await db('data_product_refresh_runs').count({ n: '*' });
        return Number(n);
      } finally {
        await db.destroy();
      }
    };
    const runsBefore = await Promise.all(sides.map(s => runs(s.database)));
    const xactBefore = await xacts();
    const cpuBefore = sides.map(s => cpuSeconds(s.process.pid!));
    for (let t = 0; t < seconds; t++) {
      await new Promise(resolve => setTimeout(resolve, 1000));
      const { rows } = await admin.raw(
        `SELECT datname, count(*) AS open, count(*) FILTER (WHERE state <> 'idle') AS active
           FROM pg_stat_activity WHERE datname = ANY(?) GROUP BY datname`,
        [names],
      );
      sides.forEach((side, i) => {
        const row = rows.find(
          (r: { datname: string }) => r.datname === names[i],
        );
        side.connections.push(Number(row?.open ?? 0));
        side.active.push(Number(row?.active ?? 0));
        side.cpu.push(cpuSeconds(side.process.pid!));
      });
    }
    const xactAfter = await xacts();
    const runsAfter = await Promise.all(sides.map(s => runs(s.database)));
    const minutes = seconds / 60;
    console.log(
      `\n${ports} table ports, measured for ${seconds} s after a ${warmUp} s warm-up, side by side\n`,
    );
    console.log(
      '| backend | CPU (% of one core) | CPU between runs (median second) | connections open (avg / median / max) | connections running a statement (max) | transactions per minute | refresh runs recorded per minute |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    sides.forEach((side, i) => {
      const cpu = side.cpu[side.cpu.length - 1] - cpuBefore[i];
      // CPU seconds of each sampled second; the median one is a second between runs.
      const perSecond = side.cpu.map(
        (total, t) => total - (t === 0 ? cpuBefore[i] : side.cpu[t - 1]),
      );
      console.log(
        `| ${side.label} | ${((cpu / seconds) * 100).toFixed(1)} % | ${(
          median(perSecond) * 100
        ).toFixed(1)} % | ${average(side.connections).toFixed(1)} / ${median(
          side.connections,
        )} / ${Math.max(...side.connections)} | ${Math.max(
          ...side.active,
        )} | ${Math.round(
          ((xactAfter.get(names[i]) as number) -
            (xactBefore.get(names[i]) as number)) /
            minutes,
        )} | ${Math.round((runsAfter[i] - runsBefore[i]) / minutes)} |`,
      );
    });
  } finally {
    for (const side of sides) {
      side.process.kill('SIGKILL');
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
    for (const name of names) {
      await admin
        .raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        .catch(() => undefined);
    }
    await admin.destroy();
  }
}

if (process.argv[2] === '--child') {
  child(
    process.argv[3],
    Number(process.argv[4]),
    process.argv[5] === 'true',
  ).catch(error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
} else {
  main().catch(error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
