/*
 * Benchmark: materializing marketing_360.customer_activity through the
 * warehouse engine versus the same compiled SQL run as a plain
 * CREATE TABLE AS through psql, alternating, in one run.
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

const DEFAULT_SERVER = 'postgresql://postgres:postgres@127.0.0.1:54320';
const root = path.resolve(__dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

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

    const compiled: string = (
      await knex('dataproducts_meta.ports')
        .where({ product: 'marketing-customer-360', port: 'customer_activity' })
        .first()
    ).build_sql;
    await knex.raw('CREATE SCHEMA IF NOT EXISTS bench');
    const psqlScript = `BEGIN;\nDROP TABLE IF EXISTS bench.customer_activity;\nCREATE TABLE bench.customer_activity AS\n${compiled}\n;\nCOMMIT;\n`;

    const viaEngine = async () => {
      const start = process.hrtime.bigint();
      const result = await engine.refresh(
        'marketing-customer-360',
        'customer_activity',
      );
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
      return { ms };
    };

    await viaEngine();
    await viaPsql();
    const engineTimes: number[] = [];
    const psqlTimes: number[] = [];
    let rows = 0;
    for (let i = 0; i < rounds; i++) {
      // Alternate which side goes first, so neither always runs on a warmer cache.
      let e: { ms: number; rows: number };
      let p: { ms: number };
      if (i % 2 === 0) {
        e = await viaEngine();
        p = await viaPsql();
      } else {
        p = await viaPsql();
        e = await viaEngine();
      }
      rows = e.rows;
      engineTimes.push(e.ms);
      psqlTimes.push(p.ms);
      console.log(
        `round ${i + 1}: engine ${e.ms.toFixed(0)} ms, psql ${p.ms.toFixed(
          0,
        )} ms`,
      );
    }
    const check = await knex.raw(
      `SELECT (SELECT count(*) FROM bench.customer_activity)::bigint AS psql_rows`,
    );
    const engineMedian = median(engineTimes);
    const psqlMedian = median(psqlTimes);
    const ratio = engineMedian / psqlMedian;
    console.log('');
    console.log('| | median | runs |');
    console.log('|---|---|---|');
    console.log(
      `| engine refresh (build beside, contract check, swap) | ${(
        engineMedian / 1000
      ).toFixed(2)} s | ${engineTimes
        .map(v => (v / 1000).toFixed(2))
        .join(', ')} |`,
    );
    console.log(
      `| psql CREATE TABLE AS | ${(psqlMedian / 1000).toFixed(
        2,
      )} s | ${psqlTimes.map(v => (v / 1000).toFixed(2)).join(', ')} |`,
    );
    console.log('');
    console.log(`rows: engine ${rows}, psql ${check.rows[0].psql_rows}`);
    console.log(
      `ratio engine/psql: ${ratio.toFixed(3)} (target <= 1.10) ${
        ratio <= 1.1 ? 'PASS' : 'FAIL'
      }`,
    );
  } finally {
    if (process.env.BENCH_KEEP === '1') {
      console.log(`kept database ${url}`);
      await knex.destroy();
      return;
    }
    await engine
      .decommission('marketing-customer-360', { force: true })
      .catch(() => undefined);
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
