import { Knex } from 'knex';
import { METADATA_SCHEMA } from './metadata';
import type {
  PortQuality,
  PortQualitySummary,
  QualityResult,
  QualityRuleHistory,
} from '@dataproducts/plugin-data-products-common';
import { QualityOutcome } from './qualityRun';

/** How many builds of each port keep their check results. */
export const QUALITY_HISTORY_BUILDS = 30;

const BUILDS = `${METADATA_SCHEMA}.quality_builds`;
const RESULTS = `${METADATA_SCHEMA}.quality_results`;

/**
 * Records one build's checks and keeps the last
 * {@link QUALITY_HISTORY_BUILDS} builds of the port. Runs in the build's
 * transaction when it passed, on the pool after the rollback when it was
 * refused.
 */
export async function recordQualityOutcome(
  db: Knex | Knex.Transaction,
  outcome: QualityOutcome,
): Promise<void> {
  const [build] = await db(BUILDS)
    .insert({
      product: outcome.product,
      port: outcome.port,
      outcome: outcome.outcome,
      row_count: outcome.rowCount,
    })
    .returning('id');
  const buildId = Number(typeof build === 'object' ? build.id : build);
  if (outcome.results.length) {
    await db(RESULTS).insert(
      outcome.results.map(({ key, kind, value, passed, ...details }) => ({
        build_id: buildId,
        rule: key,
        kind,
        value,
        passed,
        details: JSON.stringify(details),
      })),
    );
  }
  await db(BUILDS)
    .where({ product: outcome.product, port: outcome.port })
    .whereNotIn(
      'id',
      db(BUILDS)
        .select('id')
        .where({ product: outcome.product, port: outcome.port })
        .orderBy('id', 'desc')
        .limit(QUALITY_HISTORY_BUILDS),
    )
    .delete();
}

/** Deletes the recorded checks of a port, or of every port of a product. */
export async function deleteQualityResults(
  db: Knex | Knex.Transaction,
  product: string,
  port?: string,
): Promise<void> {
  await db(BUILDS)
    .where(port === undefined ? { product } : { product, port })
    .delete();
}

interface ResultRow {
  build_id: string;
  checked_at: Date;
  rule: string;
  kind: QualityResult['kind'];
  value: number | null;
  passed: boolean;
  details: Omit<QualityResult, 'key' | 'kind' | 'value' | 'passed'>;
}

/** A port's recorded checks: its last 30 builds and each rule's latest result and history. */
export async function readPortQuality(
  db: Knex,
  product: string,
  port: string,
): Promise<PortQuality> {
  const builds = await db(BUILDS)
    .select('id', 'checked_at', 'outcome', 'row_count')
    .where({ product, port })
    .orderBy('id', 'desc')
    .limit(QUALITY_HISTORY_BUILDS);
  const rows: ResultRow[] = builds.length
    ? await db(`${RESULTS} as r`)
        .join(`${BUILDS} as b`, 'b.id', 'r.build_id')
        .select(
          'r.build_id',
          'b.checked_at',
          'r.rule',
          'r.kind',
          'r.value',
          'r.passed',
          'r.details',
        )
        .whereIn(
          'r.build_id',
          builds.map(b => b.id),
        )
        .orderBy('r.build_id', 'desc')
    : [];
  const rules = new Map<string, QualityRuleHistory>();
  for (const row of rows) {
    const buildId = Number(row.build_id);
    const checkedAt = new Date(row.checked_at).toISOString();
    const value = row.value === null ? null : Number(row.value);
    let rule = rules.get(row.rule);
    if (!rule) {
      rule = {
        key: row.rule,
        latest: {
          ...row.details,
          key: row.rule,
          kind: row.kind,
          value,
          passed: row.passed,
          buildId,
          checkedAt,
        },
        history: [],
      };
      rules.set(row.rule, rule);
    }
    rule.history.push({ buildId, checkedAt, value, passed: row.passed });
  }
  return {
    product,
    port,
    builds: builds.map(b => ({
      id: Number(b.id),
      checkedAt: new Date(b.checked_at).toISOString(),
      outcome: b.outcome,
      rowCount: Number(b.row_count),
    })),
    rules: [...rules.values()].sort(
      (a, b) =>
        Number(a.latest.kind !== 'constraint') -
          Number(b.latest.kind !== 'constraint') || a.key.localeCompare(b.key),
    ),
  };
}

/** The latest checked build of every port, or of the named products' ports. */
export async function readQualitySummaries(
  db: Knex,
  products?: string[],
): Promise<PortQualitySummary[]> {
  const latest = db(BUILDS)
    .distinctOn('product', 'port')
    .select('id', 'product', 'port', 'checked_at', 'outcome')
    .orderBy(['product', 'port', { column: 'id', order: 'desc' }]);
  if (products) {
    latest.whereIn('product', products);
  }
  const rows = await db
    .from(latest.as('b'))
    .leftJoin(`${RESULTS} as r`, 'r.build_id', 'b.id')
    .select('b.product', 'b.port', 'b.checked_at', 'b.outcome')
    .count({ checks: 'r.rule' })
    .select(
      db.raw(
        `count(*) FILTER (WHERE NOT r.passed AND r.details->>'severity' = 'error') AS failed_errors`,
      ),
      db.raw(
        `count(*) FILTER (WHERE NOT r.passed AND r.details->>'severity' = 'warning') AS failed_warnings`,
      ),
    )
    .groupBy('b.product', 'b.port', 'b.checked_at', 'b.outcome')
    .orderBy(['b.product', 'b.port']);
  return rows.map((r: Record<string, unknown>) => ({
    product: String(r.product),
    port: String(r.port),
    checkedAt: new Date(r.checked_at as Date).toISOString(),
    outcome: r.outcome as QualityOutcome['outcome'],
    checks: Number(r.checks),
    failedErrors: Number(r.failed_errors),
    failedWarnings: Number(r.failed_warnings),
  }));
}
