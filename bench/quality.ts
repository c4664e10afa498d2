/*
 * Benchmark: the cost of the checks of a build. Builds (refreshes)
 * marketing_360.customer_activity at 1,000,000 customers through the
 * warehouse engine three ways, taking turns, in one run: with every kind of
 * quality rule (and the demo's declared constraint, customer_id required),
 * with the constraint and no rule, and with neither; prints the medians and
 * the ratios. Target: the build with every rule takes at most 1.3x the time
 * of the one without.
 *
 *   ./portal bench quality
 *
 * Environment:
 *   BENCH_DATABASE_URL  the PostgreSQL server to use (a superuser connection; any
 *                       database in the URL is ignored); `./portal bench` sets it
 *                       to the portal's server. The bench creates a fresh
 *                       database there and drops it afterwards
 *   BENCH_CUSTOMERS     customers to seed (default 1000000)
 *   BENCH_ROUNDS        timed rounds per side (default 5, after one warm-up each)
 */
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
  OutputPortQualityRule,
} from '@dataproducts/plugin-data-products-common';
import { WarehouseEngine } from '@dataproducts/plugin-data-products-node';

const DEFAULT_SERVER = 'postgresql://postgres:postgres@127.0.0.1:54320';
const root = path.resolve(__dirname, '..');
const CHECKED = 'marketing-customer-360-checked';
const PLAIN = 'marketing-customer-360-plain';
const BARE = 'marketing-customer-360-bare';

/** Every kind of rule customer_activity can carry (it has no date column, so no freshness rule). */
const RULES: OutputPortQualityRule[] = [
  { name: 'has_rows', metric: 'rowCount', mustBeGreaterThan: 0 },
  {
    name: 'few_missing_emails',
    metric: 'nullValues',
    column: 'customer_email',
    unit: 'percent',
    mustBeLessThan: 1,
  },
  {
    name: 'one_row_per_order',
    metric: 'duplicateValues',
    column: 'order_id',
    mustBe: 0,
  },
  {
    name: 'known_statuses',
    metric: 'invalidValues',
    column: 'delivery_status',
    arguments: { validValues: ['Shipped', 'In Transit', 'Delivered'] },
    mustBe: 0,
  },
  {
    name: 'emails_look_like_emails',
    metric: 'invalidValues',
    column: 'customer_email',
    arguments: { pattern: '^[^@ ]+@[^@ ]+$' },
    mustBe: 0,
    severity: 'warning',
  },
  {
    name: 'no_negative_totals',
    type: 'sql',
    query: 'SELECT count(*) FROM {{ this }} AS a WHERE a.order_total < 0',
    mustBe: 0,
  },
];

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
  const knex: Knex = knexFactory({
    client: 'pg',
    connection: withDatabase(server, created),
    pool: { min: 0, max: 4 },
  });
  const prefix = `bench_${randomBytes(3).toString('hex')}_`;
  const engine = new WarehouseEngine({ knex, rolePrefix: prefix });
  try {
    const serverVersion = (await knex.raw('SHOW server_version')).rows[0]
      .server_version;
    console.log(
      `# server ${serverVersion}; ${customers} customers; ${rounds} rounds; ${
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
      const ports = docs.filter(
        d => d.kind === 'OutputPort' && d.spec.dataProduct === name,
      ) as OutputPortEntityV1alpha1[];
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
    ]) {
      await engine.apply(request(name));
    }
    await knex.raw('ANALYZE sales_crm.customers, logistics_wms.shipments');

    // customer_activity twice: with every rule and constraint, and with none.
    const consumer = request('marketing-customer-360');
    const variant = (
      name: string,
      schema: string,
      checks: 'rules' | 'constraints' | 'none',
    ) => ({
      ...consumer,
      product: {
        ...consumer.product,
        metadata: { name },
        spec: { ...consumer.product.spec, schema },
      },
      ports: consumer.ports.map(p => ({
        ...p,
        metadata: { name: `${name}-${p.spec.name}` },
        spec: {
          ...p.spec,
          dataProduct: name,
          model,
          columns: p.spec.columns.map(
            ({ required, unique, primaryKey, ...column }) =>
              checks !== 'none' && column.name === 'customer_id'
                ? { ...column, required: true }
                : column,
          ),
          ...(checks === 'rules' ? { quality: RULES } : {}),
        },
      })),
    });
    await engine.apply(variant(CHECKED, 'marketing_360_checked', 'rules'));
    await engine.apply(variant(PLAIN, 'marketing_360_plain', 'constraints'));
    await engine.apply(variant(BARE, 'marketing_360_bare', 'none'));
    console.log(`provisioned the products in ${Date.now() - t} ms`);

    const build = (product: string) => async () => {
      const start = process.hrtime.bigint();
      const result = await engine.refresh(product, 'customer_activity');
      return {
        ms: Number(process.hrtime.bigint() - start) / 1e6,
        rows: result.rowCount,
      };
    };
    const sides = [
      { name: 'checked', run: build(CHECKED) },
      { name: 'plain', run: build(PLAIN) },
      { name: 'bare', run: build(BARE) },
    ];
    for (const side of sides) {
      await side.run();
    }
    const times: Record<string, number[]> = {
      checked: [],
      plain: [],
      bare: [],
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
    const quality = await engine.quality(CHECKED, 'customer_activity');
    const latest = quality.rules.map(
      r =>
        `${r.key} ${r.latest.value} (${r.latest.passed ? 'passed' : 'failed'})`,
    );
    const checkedMedian = median(times.checked);
    const plainMedian = median(times.plain);
    const ratio = checkedMedian / plainMedian;
    const seconds = (values: number[]) =>
      values.map(v => (v / 1000).toFixed(2)).join(', ');
    console.log('');
    console.log('| | median | runs (s) |');
    console.log('|---|---|---|');
    console.log(
      `| with ${RULES.length} rules (and customer_id required) | ${(
        checkedMedian / 1000
      ).toFixed(2)} s | ${seconds(times.checked)} |`,
    );
    console.log(
      `| without rules (customer_id required) | ${(plainMedian / 1000).toFixed(
        2,
      )} s | ${seconds(times.plain)} |`,
    );
    console.log(
      `| without rules or constraints | ${(median(times.bare) / 1000).toFixed(
        2,
      )} s | ${seconds(times.bare)} |`,
    );
    console.log('');
    console.log(`rows: ${rows}; latest checks: ${latest.join('; ')}`);
    const paired = median(times.checked.map((ms, i) => ms / times.plain[i]));
    console.log(
      `ratio checked/plain: ${ratio.toFixed(3)} (target <= 1.30) ${
        ratio <= 1.3 ? 'PASS' : 'FAIL'
      }; median of the per-round ratios ${paired.toFixed(3)}`,
    );
    console.log(
      `ratio constraint/bare: ${(plainMedian / median(times.bare)).toFixed(
        3,
      )}; checked/bare: ${(checkedMedian / median(times.bare)).toFixed(3)}`,
    );
  } finally {
    for (const name of [
      CHECKED,
      PLAIN,
      BARE,
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
