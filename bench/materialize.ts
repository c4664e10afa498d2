/*
 * Benchmark: materializing marketing_360.customer_activity through the
 * warehouse engine (refresh with the default swap, and with delete-insert)
 * versus the same checked SQL run as a plain CREATE TABLE AS through psql,
 * taking turns, in one run; and the time the model check (parse, check,
 * deparse) takes for the model.
 *
 *   ./portal bench materialize
 *
 * Environment:
 *   BENCH_DATABASE_URL  the PostgreSQL server to use (a superuser connection; any
 *                       database in the URL is ignored); `./portal bench` sets it
 *                       to the portal's server (default: the embedded one on
 *                       127.0.0.1:54320). The bench creates a fresh database
 *                       there and drops it afterwards
 *   BENCH_CUSTOMERS     customers to seed (default 1000000)
 *   BENCH_ROUNDS        timed rounds per side (default 5, after one warm-up each)
 *   PSQL                the psql binary (default: psql on PATH)
 *   BENCH_KEEP=1        keep the products and the created database afterwards
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { parseAllDocuments } from 'yaml';
import { seedSourceData } from '@dataproducts/demo-data';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import { WarehouseEngine } from '@dataproducts/plugin-data-products-node';
// The model check itself, timed apart from any database work.
import {
  checkModel,
  loadModelParser,
} from '../plugins/data-products-node/src/model';

const DEFAULT_SERVER = 'postgresql://postgres:postgres@127.0.0.1:54320';
const root = path.resolve(__dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds per call of `fn`: median and 90th percentile of `runs`, after `warmUp` calls. */
function timeCalls(fn: () => unknown, warmUp = 200, runs = 100) {
  for (let i = 0; i < warmUp; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: median(times), p90: times[Math.floor(runs * 0.9)] };
}

const DELETE_INSERT_PRODUCT = 'marketing-customer-360-delete-insert';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function main() {
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const psql = process.env.PSQL ?? 'psql';
  const server = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER;
  const created = `dataproducts_bench_${randomBytes(4).toString('hex')}`;
  {
    const admin = knexFactory({
      client: 'pg',
      connection: withDatabase(server, 'postgres'),
    });
    await admin.raw(`CREATE DATABASE "${created}"`);
    await admin.destroy();
  }
  const url = withDatabase(server, created);
  const knex: Knex = knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: 4 },
  });
  const prefix = `bench_${randomBytes(3).toString('hex')}_`;
  const engine = new WarehouseEngine({ knex, rolePrefix: prefix });
  try {
    const version = execFileSync(psql, ['--version']).toString().trim();
    const serverVersion = (await knex.raw('SHOW server_version')).rows[0]
      .server_version;
    console.log(
      `# ${version}; server ${serverVersion}; ${customers} customers; ${rounds} rounds; ${
        os.cpus().length
      } CPUs; load ${os
        .loadavg()
        .map(l => l.toFixed(2))
        .join(' ')}`,
    );

    let t = Date.now();
    const seeded = await seedSourceData(knex, { customers, reset: true });
    await knex.raw(
      'ANALYZE sources.crm_customers, sources.erp_orders, sources.wms_shipments',
    );
    console.log(
      `seeded ${seeded.customers} customers, ${seeded.orders} orders, ${
        seeded.shipments
      } shipments in ${Date.now() - t} ms`,
    );

    const docs = parseAllDocuments(
      fs.readFileSync(
        path.join(root, 'fixtures/demo-data-products.yaml'),
        'utf8',
      ),
    ).map(d => d.toJSON());
    const model = fs.readFileSync(
      path.join(__dirname, 'customer-activity.sql'),
      'utf8',
    );
    const request = (name: string) => {
      const product = docs.find(
        d => d.kind === 'DataProduct' && d.metadata.name === name,
      ) as DataProductEntityV1alpha1;
      const ports = (
        docs.filter(
          d => d.kind === 'OutputPort' && d.spec.dataProduct === name,
        ) as OutputPortEntityV1alpha1[]
      ).map(p => (p.spec.model ? { ...p, spec: { ...p.spec, model } } : p));
      const inputs = (product.spec.inputs ?? [])
        .filter(ref => ref.startsWith('outputport:'))
        .map(ref => {
          const port = docs.find(
            d =>
              d.kind === 'OutputPort' && d.metadata.name === ref.split(':')[1],
          );
          return { ref, product: port.spec.dataProduct, port: port.spec.name };
        });
      return { product, ports, inputs };
    };
    t = Date.now();
    for (const name of [
      'sales-crm-customers',
      'sales-erp-orders',
      'logistics-wms-shipments',
      'marketing-customer-360',
    ]) {
      await engine.apply(request(name));
    }
    await knex.raw('ANALYZE sales_crm.customers, logistics_wms.shipments');
    console.log(`provisioned the four demo products in ${Date.now() - t} ms`);

    // The same port again, refreshed with delete-insert instead of swap.
    const consumer = request('marketing-customer-360');
    await engine.apply({
      ...consumer,
      product: {
        ...consumer.product,
        metadata: { name: DELETE_INSERT_PRODUCT },
        spec: { ...consumer.product.spec, schema: 'marketing_360_di' },
      },
      ports: consumer.ports.map(p => ({
        ...p,
        metadata: { name: `${DELETE_INSERT_PRODUCT}-${p.spec.name}` },
        spec: {
          ...p.spec,
          dataProduct: DELETE_INSERT_PRODUCT,
          refreshStrategy: 'delete-insert',
        } as typeof p.spec,
      })),
    });

    await loadModelParser();
    const schemas: Record<string, string> = {
      'sales-crm-customers': 'sales_crm',
      'sales-erp-orders': 'sales_erp',
      'logistics-wms-shipments': 'logistics_wms',
    };
    const inputs = consumer.inputs.map(input => ({
      ...input,
      schema: schemas[input.product],
    }));
    const modelCheck = timeCalls(() =>
      checkModel(model, {
        portName: 'customer_activity',
        inputs,
        resolve: input => ({ schema: input.schema, name: input.port }),
      }),
    );
    console.log(
      `model check (lex, parse, check, deparse, parse again): median ${modelCheck.median.toFixed(
        2,
      )} ms, p90 ${modelCheck.p90.toFixed(2)} ms (100 runs after 200 warm-up)`,
    );

    const compiled: string = (
      await knex('dataproducts_meta.ports')
        .where({ product: 'marketing-customer-360', port: 'customer_activity' })
        .first()
    ).build_sql;
    await knex.raw('CREATE SCHEMA IF NOT EXISTS bench');
    const psqlScript = `BEGIN;\nDROP TABLE IF EXISTS bench.customer_activity;\nCREATE TABLE bench.customer_activity AS\n${compiled}\n;\nCOMMIT;\n`;

    const viaEngine = (product: string) => async () => {
      const start = process.hrtime.bigint();
      const result = await engine.refresh(product, 'customer_activity');
      return {
        ms: Number(process.hrtime.bigint() - start) / 1e6,
        rows: result.rowCount,
      };
    };
    const viaPsql = async () => {
      const start = process.hrtime.bigint();
      const run = spawnSync(
        psql,
        ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url],
        { input: psqlScript },
      );
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (run.status !== 0)
        throw new Error(`psql failed: ${run.stderr.toString()}`);
      return { ms, rows: 0 };
    };
    const sides = [
      { name: 'swap', run: viaEngine('marketing-customer-360') },
      { name: 'psql', run: viaPsql },
      { name: 'delete-insert', run: viaEngine(DELETE_INSERT_PRODUCT) },
    ];

    for (const side of sides) {
      await side.run();
    }
    const times: Record<string, number[]> = {
      swap: [],
      psql: [],
      'delete-insert': [],
    };
    let rows = 0;
    for (let i = 0; i < rounds; i++) {
      // Each side takes each place in turn, so none always runs on a warmer cache.
      const order = sides.map((_, k) => sides[(i + k) % sides.length]);
      const line: string[] = [];
      for (const side of order) {
        const { ms, rows: built } = await side.run();
        times[side.name].push(ms);
        rows = Math.max(rows, built);
        line.push(`${side.name} ${ms.toFixed(0)} ms`);
      }
      console.log(`round ${i + 1}: ${line.join(', ')}`);
    }
    const engineTimes = times.swap;
    const psqlTimes = times.psql;
    const deleteInsertTimes = times['delete-insert'];
    const psqlRows = await knex.raw(
      `SELECT (SELECT count(*) FROM bench.customer_activity)::bigint AS psql_rows`,
    );
    const engineMedian = median(engineTimes);
    const psqlMedian = median(psqlTimes);
    const deleteInsertMedian = median(deleteInsertTimes);
    const ratio = engineMedian / psqlMedian;
    const seconds = (values: number[]) =>
      values.map(v => (v / 1000).toFixed(2)).join(', ');
    console.log('');
    console.log('| | median | runs (s) |');
    console.log('|---|---|---|');
    console.log(
      `| engine refresh, swap (build beside, contract check, swap) | ${(
        engineMedian / 1000
      ).toFixed(2)} s | ${seconds(engineTimes)} |`,
    );
    console.log(
      `| engine refresh, delete-insert (LIMIT 0 check, DELETE, INSERT) | ${(
        deleteInsertMedian / 1000
      ).toFixed(2)} s | ${seconds(deleteInsertTimes)} |`,
    );
    console.log(
      `| psql CREATE TABLE AS | ${(psqlMedian / 1000).toFixed(2)} s | ${seconds(
        psqlTimes,
      )} |`,
    );
    console.log('');
    console.log(`rows: engine ${rows}, psql ${psqlRows.rows[0].psql_rows}`);
    console.log(
      `ratio delete-insert/swap: ${(deleteInsertMedian / engineMedian).toFixed(
        3,
      )}; delete-insert/psql: ${(deleteInsertMedian / psqlMedian).toFixed(3)}`,
    );
    // The same ratio within each round, where both sides ran under the
    // same load from the rest of the machine.
    const paired = median(engineTimes.map((ms, i) => ms / psqlTimes[i]));
    console.log(
      `ratio engine swap/psql: ${ratio.toFixed(3)} (target <= 1.10) ${
        ratio <= 1.1 ? 'PASS' : 'FAIL'
      }; median of the per-round ratios ${paired.toFixed(3)}`,
    );
  } finally {
    if (process.env.BENCH_KEEP === '1') {
      console.log(`kept database ${url}`);
      await knex.destroy();
      return;
    }
    for (const name of [DELETE_INSERT_PRODUCT, 'marketing-customer-360']) {
      await engine.decommission(name, { force: true }).catch(() => undefined);
    }
    for (const name of [
      'sales-crm-customers',
      'sales-erp-orders',
      'logistics-wms-shipments',
    ]) {
      await engine.decommission(name, { force: true }).catch(() => undefined);
    }
    await knex.destroy();
    const admin = knexFactory({
      client: 'pg',
      connection: withDatabase(server, 'postgres'),
    });
    await admin.raw(`DROP DATABASE IF EXISTS "${created}"`);
    await admin.destroy();
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
