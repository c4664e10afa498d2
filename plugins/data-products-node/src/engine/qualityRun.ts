import { InputError } from '@backstage/errors';
import type {
  QualityOutcomeKind,
  QualityResult,
} from '@dataproducts/plugin-data-products-common';
import { describeExpectation, meetsExpectation } from './quality';
import { PlanQualityCheck, QualityMeasure, QualityValueSource } from './types';

/** What a statement returned, with the result's columns (name and type oid). */
export interface MeasuredResult {
  rows: Array<Record<string, unknown>>;
  fields?: Array<{ name: string; dataTypeID: number }>;
}

/** The checks of one build of one port. */
export interface QualityOutcome {
  product: string;
  port: string;
  /** Rows of the new relation. */
  rowCount: number;
  /** `passed`; `warning` when only warnings failed; `failed` when an error-severity one did (the build was refused). */
  outcome: QualityOutcomeKind;
  results: QualityResult[];
}

/**
 * A build refused by its checks: the new rows broke a declared constraint or
 * an error-severity quality rule. Carries the outcome, which is recorded
 * after the build's transaction is rolled back.
 */
export class QualityCheckError extends InputError {
  constructor(message: string, readonly outcome: QualityOutcome) {
    super(message);
  }
}

// pg's type oids of the numeric types a custom rule may return.
const NUMERIC_TYPE_OIDS = new Set([20, 21, 23, 700, 701, 1700]);

function rounded(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function unitWord(unit: QualityMeasure['unit'], value: number): string {
  if (unit === 'percent') {
    return '%';
  }
  if (unit === 'seconds') {
    return ' s';
  }
  return value === 1 ? ' row' : ' rows';
}

/**
 * Checks a custom rule's result shape: exactly one numeric column, and
 * (unless rehearsing, when the new relation is empty) exactly one row.
 */
function checkCustomShape(
  check: PlanQualityCheck,
  measure: QualityMeasure,
  result: MeasuredResult,
  rehearse: boolean,
) {
  const what = `Quality rule '${measure.key}' (${measure.field}.query) of output port '${check.port}' of data product '${check.product}'`;
  const fields = result.fields ?? [];
  if (fields.length !== 1) {
    throw new InputError(
      `${what} returns ${fields.length} columns (${fields
        .map(f => f.name)
        .join(
          ', ',
        )}): it must return exactly one number. Select one numeric expression, e.g. SELECT count(*) FROM {{ this }} AS t WHERE ...`,
    );
  }
  if (!NUMERIC_TYPE_OIDS.has(fields[0].dataTypeID)) {
    throw new InputError(
      `${what} returns the column ${fields[0].name}, which is not a number (PostgreSQL type oid ${fields[0].dataTypeID}): it must return exactly one number. Cast it, e.g. CAST(... AS numeric).`,
    );
  }
  if (!rehearse && result.rows.length !== 1) {
    throw new InputError(
      `${what} returns ${
        result.rows.length === 0 ? 'no row' : 'more than one row'
      }: it must return exactly one row with one number. Aggregate, e.g. SELECT count(*) FROM {{ this }} AS t WHERE ...`,
    );
  }
}

function read(
  results: MeasuredResult[],
  source: QualityValueSource,
): number | null {
  const result = results[source.statement];
  const row = result?.rows[0];
  if (!row) {
    return null;
  }
  const raw =
    source.column === '*'
      ? row[result.fields?.[0]?.name ?? Object.keys(row)[0]]
      : row[source.column];
  return raw === null || raw === undefined ? null : Number(raw);
}

/**
 * Runs a planned quality check once its statements ran: compares each
 * measure with its expectation, fetches up to five example keys of each
 * failure (with `examples`, through `query`, as the role that measured),
 * and returns the outcome. Throws a {@link QualityCheckError} when an
 * error-severity measure failed. A rehearsal (the dry run, on an empty
 * relation) only checks the custom rules' result shapes.
 */
export async function runQualityCheck(
  check: PlanQualityCheck,
  stepResults: MeasuredResult[],
  query: (sql: string) => Promise<MeasuredResult>,
  rehearse: boolean,
): Promise<QualityOutcome | undefined> {
  const results = check.statements.map(index => stepResults[index]);
  for (const measure of check.measures) {
    if (measure.source.column === '*') {
      checkCustomShape(
        check,
        measure,
        results[measure.source.statement],
        rehearse,
      );
    }
  }
  if (rehearse) {
    return undefined;
  }
  const rowCount = read(results, check.rowCount) ?? 0;
  const measured: QualityResult[] = [];
  for (const measure of check.measures) {
    let value = read(results, measure.source);
    if (value !== null && measure.unit === 'percent') {
      value = rowCount === 0 ? 0 : (100 * value) / rowCount;
    }
    if (value !== null) {
      value = rounded(value);
    }
    const expectation = describeExpectation(
      measure.operator,
      measure.threshold,
    );
    const passed =
      value !== null &&
      meetsExpectation(value, measure.operator, measure.threshold);
    const result: QualityResult = {
      key: measure.key,
      kind: measure.kind,
      ...(measure.constraint ? { constraint: measure.constraint } : {}),
      ...(measure.metric ? { metric: measure.metric } : {}),
      ...(measure.column ? { column: measure.column } : {}),
      description: measure.description,
      severity: measure.severity,
      unit: measure.unit,
      expectation,
      value,
      passed,
    };
    if (!passed) {
      let detail =
        value === null
          ? `nothing to measure (${rowCount} rows), must be ${expectation}`
          : `${value}${unitWord(measure.unit, value)}, must be ${expectation}`;
      if (measure.examples && value !== null) {
        const examples = await query(measure.examples.sql);
        const keys = examples.rows.map(r =>
          r.key === null ? 'NULL' : String(r.key),
        );
        if (keys.length) {
          detail += `; e.g. ${measure.examples.key} ${keys.join(', ')}`;
        }
      }
      result.detail = detail;
    }
    measured.push(result);
  }
  const blocking = measured.filter(r => !r.passed && r.severity === 'error');
  let outcomeKind: QualityOutcomeKind = 'passed';
  if (blocking.length) {
    outcomeKind = 'failed';
  } else if (measured.some(r => !r.passed)) {
    outcomeKind = 'warning';
  }
  const outcome: QualityOutcome = {
    product: check.product,
    port: check.port,
    rowCount,
    outcome: outcomeKind,
    results: measured,
  };
  if (blocking.length) {
    const lines = blocking.map(r =>
      r.kind === 'constraint'
        ? `  - column ${r.column} is declared ${
            r.constraint
          }, but the new rows have ${
            r.constraint === 'required' ? 'NULLs' : 'duplicates'
          }: ${r.detail}`
        : `  - quality rule '${r.key}' (${r.description}): ${r.detail}`,
    );
    throw new QualityCheckError(
      `Output port '${check.port}' of data product '${check.product}' failed ${
        blocking.length
      } of its checks, so it was not changed (the previous version stays in place):\n${lines.join(
        '\n',
      )}\nFix the data or the model, or change the declared constraint or rule (or make the rule severity: warning), then build again.`,
      outcome,
    );
  }
  return outcome;
}
