/*
 * Benchmark: column lineage requests on a 2,000-product mesh. The lineage a
 * mesh's builds would record is generated straight into the metadata tables
 * (dataproducts_meta, migrated by the engine's own migrations) of a fresh
 * database, then the engine's read side answers many requests:
 *
 *   - "columns": walkColumnLineage, what GET /ports/:ns/:name/columns asks
 *     the warehouse: every column of a port, upstream and downstream, 10 hops
 *     each way;
 *   - "impact": columnImpact, what GET .../columns/:column/impact asks: the
 *     consumer columns derived from one column, transitively.
 *
 * The catalog's visibility check the endpoints add (one getEntitiesByRefs
 * call) is not part of it. The mesh: BENCH_PRODUCTS products (default
 * 2,000) with one port of 10 columns each; a sixth are source-aligned
 * (identity from a source table); the others sit on levels 1..6 and read 1-3
 * ports of the level below, and 1 in 4 also reads one of 20 hubs (ports every
 * level reads); each output column derives from one or two input columns
 * (identity, transformation or aggregation) and every column lists the join
 * keys of the inputs as INDIRECT JOIN.
 *
 *   ./portal bench column-lineage
 *
 * Environment:
 *   BENCH_DATABASE_URL  the PostgreSQL server (a superuser connection);
 *                       `./portal bench` sets it to the portal's server
 *   BENCH_PRODUCTS      products in the mesh (default 2000)
 *   BENCH_REQUESTS      requests of each kind (default 500)
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import knexFactory, { type Knex } from 'knex';
import {
  columnImpact,
  walkColumnLineage,
} from '../plugins/data-products-node/src/engine/columnLineageGraph';
import { migrateMetadata } from '../plugins/data-products-node/src/engine/metadata';

const DEFAULT_SERVER = 'postgresql://postgres:postgres@127.0.0.1:54320';
const COLUMNS = 10;
const LEVELS = 6;
const HUBS = 20;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A deterministic pseudo-random generator (mulberry32), so every run builds the same mesh. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface BenchPort {
  product: string;
  level: number;
  inputs: number[];
}

function meshOf(products: number): BenchPort[] {
  const next = random(42);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  const sources = Math.ceil(products / 6);
  const mesh: BenchPort[] = [];
  const byLevel: number[][] = Array.from({ length: LEVELS + 1 }, () => []);
  for (let i = 0; i < products; i++) {
    const level =
      i < sources
        ? 0
        : 1 + Math.floor(((i - sources) * LEVELS) / (products - sources));
    const inputs = new Set<number>();
    if (level > 0) {
      const count = 1 + Math.floor(next() * 3);
      for (let k = 0; k < count; k++) inputs.add(pick(byLevel[level - 1]));
      if (next() < 0.25) inputs.add(Math.floor(next() * HUBS));
    }
    mesh.push({ product: `bench-product-${i}`, level, inputs: [...inputs] });
    byLevel[level].push(i);
  }
  return mesh;
}

async function seed(knex: Knex, mesh: BenchPort[]) {
  const next = random(7);
  const subtypes = ['IDENTITY', 'TRANSFORMATION', 'AGGREGATION'];
  const products = mesh.map((p, i) => ({
    product: p.product,
    schema_name: `bench_${i}`,
    role_name: `bench_role_${i}`,
    description: null,
  }));
  const ports = mesh.map((p, i) => ({
    product: p.product,
    port: 'rows',
    port_type: 'postgres-table',
    reader_role: `bench_${i}__rows_r`,
    definition_hash: 'bench',
    build_sql: 'SELECT 1',
    columns: JSON.stringify(
      Array.from({ length: COLUMNS }, (_, c) => ({
        name: `c${c}`,
        type: 'integer',
      })),
    ),
  }));
  for (let i = 0; i < mesh.length; i += 500) {
    await knex('dataproducts_meta.products').insert(products.slice(i, i + 500));
    await knex('dataproducts_meta.ports').insert(ports.slice(i, i + 500));
  }
  let links = 0;
  for (const [i, port] of mesh.entries()) {
    const portRef = `outputport:default/${port.product}-rows`;
    const columns = Array.from({ length: COLUMNS }, (_, c) => {
      const inputFields = [];
      if (port.inputs.length === 0) {
        inputFields.push({
          relation: `sources.table_${i}`,
          field: `c${c}`,
          transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
        });
      } else {
        const from = new Set([c, Math.floor(next() * COLUMNS)]);
        for (const field of from) {
          const input =
            mesh[port.inputs[Math.floor(next() * port.inputs.length)]];
          inputFields.push({
            input: {
              product: input.product,
              port: 'rows',
              ref: `outputport:default/${input.product}-rows`,
            },
            relation: `bench_${mesh.indexOf(input)}.rows`,
            field: `c${field}`,
            transformations: [
              { type: 'DIRECT', subtype: subtypes[Math.floor(next() * 3)] },
            ],
          });
        }
        for (const k of port.inputs) {
          if (
            inputFields.some(
              f => f.input?.product === mesh[k].product && f.field === 'c0',
            )
          )
            continue;
          inputFields.push({
            input: {
              product: mesh[k].product,
              port: 'rows',
              ref: `outputport:default/${mesh[k].product}-rows`,
            },
            relation: `bench_${k}.rows`,
            field: 'c0',
            transformations: [{ type: 'INDIRECT', subtype: 'JOIN' }],
          });
        }
      }
      return { name: `c${c}`, inputFields };
    });
    const [{ id }] = await knex('dataproducts_meta.column_lineage_builds')
      .insert({
        product: port.product,
        port: 'rows',
        port_ref: portRef,
        lineage: JSON.stringify({ columns, dataset: [] }),
      })
      .returning('id');
    const rows = columns.flatMap(column =>
      column.inputFields.map(f => ({
        product: port.product,
        port: 'rows',
        port_ref: portRef,
        column_name: column.name,
        input_product: f.input?.product ?? null,
        input_port: f.input?.port ?? null,
        input_ref: f.input?.ref ?? null,
        input_relation: f.relation,
        input_field: f.field,
        transformations: JSON.stringify(f.transformations),
        build_id: id,
      })),
    );
    links += rows.length;
    await knex('dataproducts_meta.column_lineage').insert(rows);
  }
  await knex.raw('ANALYZE dataproducts_meta.column_lineage');
  return links;
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function time(
  name: string,
  requests: number,
  run: (i: number) => Promise<number>,
) {
  for (let i = 0; i < 20; i++) await run(i);
  const times: number[] = [];
  let answered = 0;
  for (let i = 0; i < requests; i++) {
    const start = performance.now();
    answered += await run(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const ms = (v: number) => v.toFixed(1);
  console.log(
    `| ${name} | ${requests} | ${ms(percentile(times, 50))} | ${ms(
      percentile(times, 95),
    )} | ${ms(times[times.length - 1])} | ${Math.round(answered / requests)} |`,
  );
}

async function main() {
  const server = process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER;
  const products = Number(process.env.BENCH_PRODUCTS ?? 2000);
  const requests = Number(process.env.BENCH_REQUESTS ?? 500);
  const database = `bench_lineage_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: server });
  await admin.raw(`CREATE DATABASE ${database}`);
  const knex = knexFactory({
    client: 'pg',
    connection: withDatabase(server, database),
    pool: { min: 1, max: 4 },
  });
  try {
    await knex.transaction(trx => migrateMetadata(trx));
    const mesh = meshOf(products);
    const started = performance.now();
    const links = await seed(knex, mesh);
    console.log(
      `Mesh: ${products} products, ${products} ports of ${COLUMNS} columns, ${links} lineage rows, levels 0..${LEVELS}, ${HUBS} hubs (seeded in ${(
        (performance.now() - started) /
        1000
      ).toFixed(1)} s)`,
    );
    const next = random(99);
    const port = () => mesh[Math.floor(next() * mesh.length)];
    console.log(
      '| request | n | p50 ms | p95 ms | max ms | links or consumers per answer |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    await time('columns (10 hops each way)', requests, async () => {
      const walk = await walkColumnLineage(knex, {
        product: port().product,
        port: 'rows',
        upstream: 10,
        downstream: 10,
      });
      return walk.hops.length;
    });
    await time('impact of a column (25 hops)', requests, async () => {
      const { consumers } = await columnImpact(
        knex,
        port().product,
        'rows',
        `c${Math.floor(next() * COLUMNS)}`,
      );
      return consumers.length;
    });
    await time('impact of a hub column', Math.min(requests, 100), async i => {
      const { consumers } = await columnImpact(
        knex,
        mesh[i % HUBS].product,
        'rows',
        'c0',
      );
      return consumers.length;
    });
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${database}`);
    await admin.destroy();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
