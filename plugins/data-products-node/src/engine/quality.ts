import { InputError } from '@backstage/errors';
import type { OutputPortQualityOperator } from '@dataproducts/plugin-data-products-common';
import { checkModel, MODEL_SEARCH_PATH } from '../model';
import { isPgError } from './errors';
import {
  ColumnConstraintSpec,
  PortChecks,
  QualityRuleSpec,
} from './qualitySpec';
import { escapeIdentifier, escapeLiteral, qualifiedName } from './sql';
import { PlanQualityCheck, PlanStatement, QualityMeasure } from './types';

/** What a port's checks are planned against: the port and the relation holding its new rows. */
export interface QualitySubject {
  product: string;
  port: string;
  /** The product role, which reads the new relation. */
  role: string;
  /** The new relation (`_dp_next_<port>`), not yet published. */
  relation: { schema: string; name: string };
  columns: Array<{ name: string; type: string }>;
  checks: PortChecks;
  /**
   * Keys (column → constraint name) the new table was given before the
   * checks: a column whose key exists has no duplicates, and is not sorted
   * again to count them.
   */
  stagedKeys?: Map<string, string>;
}

/** The planned statements of a port's checks, the check that reads their results, and how their failures read. */
export interface PlannedQuality {
  statements: PlanStatement[];
  /** `after` and `statements` are relative to the first of `statements`. */
  check: PlanQualityCheck;
  explainFailure(statement: PlanStatement, error: unknown): Error | undefined;
}

// The most example keys a failure names.
const EXAMPLES = 5;

/**
 * The `work_mem` the measuring statements run with: counting duplicates
 * sorts each checked column, and with PostgreSQL's default (4MB) a sort of a
 * few million values spills to disk. Set for those statements only (the
 * build's own setting is restored after them); builds run a few at a time.
 */
export const QUALITY_WORK_MEM = '64MB';

const OPERATOR_WORDS: Record<OutputPortQualityOperator, string> = {
  mustBe: '=',
  mustNotBe: '<>',
  mustBeGreaterThan: '>',
  mustBeGreaterOrEqualTo: '>=',
  mustBeLessThan: '<',
  mustBeLessOrEqualTo: '<=',
  mustBeBetween: 'between',
  mustNotBeBetween: 'not between',
};

/** `> 0`, `between 1 and 5`: a rule's expectation in words. */
export function describeExpectation(
  operator: OutputPortQualityOperator,
  threshold: number | [number, number],
): string {
  const word = OPERATOR_WORDS[operator];
  return Array.isArray(threshold)
    ? `${word} ${threshold[0]} and ${threshold[1]}`
    : `${word} ${threshold}`;
}

/** True when a measured value meets the rule's expectation. */
export function meetsExpectation(
  value: number,
  operator: OutputPortQualityOperator,
  threshold: number | [number, number],
): boolean {
  const [low, high] = Array.isArray(threshold)
    ? threshold
    : [threshold, threshold];
  switch (operator) {
    case 'mustBe':
      return value === low;
    case 'mustNotBe':
      return value !== low;
    case 'mustBeGreaterThan':
      return value > low;
    case 'mustBeGreaterOrEqualTo':
      return value >= low;
    case 'mustBeLessThan':
      return value < low;
    case 'mustBeLessOrEqualTo':
      return value <= low;
    case 'mustBeBetween':
      return value >= low && value <= high;
    default:
      return value < low || value > high;
  }
}

function describeRule(rule: QualityRuleSpec): string {
  const what =
    rule.type === 'sql'
      ? 'custom SQL'
      : `${rule.metric}${rule.column ? ` of ${rule.column}` : ''}`;
  const unit = rule.unit === 'rows' ? '' : ` (${rule.unit})`;
  return `${what}${unit} ${describeExpectation(rule.operator, rule.threshold)}`;
}

/** A SQL literal of a valid value, cast to the column's type by the array it is in. */
function valueLiteral(value: string | number | boolean): string {
  return escapeLiteral(String(value));
}

/**
 * Plans the checks of a port's new rows, run inside the build before they
 * are published: one SELECT that measures every library metric and every
 * declared constraint in a single pass over the new relation, then one
 * statement per custom SQL rule (checked by the model checker, `{{ this }}`
 * resolved to the new relation). All run as the product role, with only
 * `pg_catalog` on the search path (as models run), within the build's
 * statement timeout.
 */
export function planQuality(subject: QualitySubject): PlannedQuality {
  const { relation, checks } = subject;
  const from = qualifiedName(relation.schema, relation.name);
  const expressions: string[] = ['count(*)'];
  const indexOf = (expression: string) => {
    let index = expressions.indexOf(expression);
    if (index < 0) {
      index = expressions.push(expression) - 1;
    }
    return index;
  };
  const col = (name: string) => escapeIdentifier(name);
  const typeOf = (name: string) =>
    subject.columns.find(c => c.name === name)!.type;
  const nulls = (name: string) =>
    indexOf(`count(*) FILTER (WHERE ${col(name)} IS NULL)`);
  const duplicates = (name: string) => {
    const key = subject.stagedKeys?.get(name);
    const count = `count(${col(name)}) - count(DISTINCT ${col(name)})`;
    return indexOf(
      key
        ? `CASE WHEN EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = ${escapeLiteral(
            from,
          )}::regclass AND conname = ${escapeLiteral(
            key,
          )}) THEN 0 ELSE (SELECT ${count} FROM ${from}) END`
        : count,
    );
  };

  // Keys that name a row in messages: the primary key, else the first other column.
  const keyColumn = (except: string) =>
    checks.constraints.find(c => c.primaryKey && c.column !== except)?.column ??
    subject.columns.find(c => c.name !== except)?.name ??
    except;
  const examplesOfNulls = (name: string) => {
    const key = keyColumn(name);
    return `SELECT ${col(key)}::text AS key FROM ${from} WHERE ${col(
      name,
    )} IS NULL ORDER BY 1 LIMIT ${EXAMPLES}`;
  };
  const examplesOfDuplicates = (name: string) =>
    `SELECT ${col(name)}::text AS key FROM ${from} WHERE ${col(
      name,
    )} IS NOT NULL GROUP BY ${col(name)} HAVING count(*) > 1 ORDER BY ${col(
      name,
    )} LIMIT ${EXAMPLES}`;

  const measures: QualityMeasure[] = [];
  const constraint = (
    c: ColumnConstraintSpec,
    kind: 'required' | 'unique' | 'primaryKey',
  ) => {
    const isNulls = kind === 'required';
    measures.push({
      key: `${kind}_${c.column}`,
      kind: 'constraint',
      constraint: kind,
      column: c.column,
      description: isNulls
        ? `${c.column} has no NULLs (required)`
        : `${c.column} has no duplicates (${kind})`,
      severity: 'error',
      unit: 'rows',
      operator: 'mustBe',
      threshold: 0,
      source: {
        statement: 0,
        column: `m${isNulls ? nulls(c.column) : duplicates(c.column)}`,
      },
      examples: isNulls
        ? {
            sql: examplesOfNulls(c.column),
            key: keyColumn(c.column),
          }
        : { sql: examplesOfDuplicates(c.column), key: c.column },
    });
  };
  for (const c of checks.constraints) {
    if (c.required || c.primaryKey) {
      constraint(c, 'required');
    }
    if (c.primaryKey || c.unique) {
      constraint(c, c.primaryKey ? 'primaryKey' : 'unique');
    }
  }

  const ruleStatements: PlanStatement[] = [];
  const ruleOf = new Map<PlanStatement, QualityRuleSpec>();
  for (const rule of checks.rules) {
    const base = {
      key: rule.key,
      kind: 'rule' as const,
      field: rule.field,
      ...(rule.metric ? { metric: rule.metric } : {}),
      ...(rule.column ? { column: rule.column } : {}),
      description: rule.description ?? describeRule(rule),
      severity: rule.severity,
      unit: rule.unit,
      operator: rule.operator,
      threshold: rule.threshold,
    };
    if (rule.type === 'sql') {
      const checked = checkModel(rule.query!, {
        portName: subject.port,
        inputs: [],
        resolve: () => relation,
        self: relation,
        subject: `Quality rule '${rule.key}' (${rule.field}.query) of output port '${subject.port}'`,
      });
      const statement: PlanStatement = {
        sql: `SELECT * FROM (\n${checked.sql}\n) AS rule LIMIT 2`,
        role: subject.role,
      };
      ruleOf.set(statement, rule);
      ruleStatements.push(statement);
      measures.push({
        ...base,
        source: { statement: ruleStatements.length, column: '*' },
      });
      continue;
    }
    const c = rule.column ? col(rule.column) : '';
    let expression: number;
    switch (rule.metric) {
      case 'rowCount':
        expression = 0;
        break;
      case 'nullValues':
        expression = nulls(rule.column!);
        break;
      case 'duplicateValues':
        expression = duplicates(rule.column!);
        break;
      case 'invalidValues': {
        const tests = [
          ...(rule.validValues
            ? [
                `${c} = ANY (ARRAY[${rule.validValues
                  .map(valueLiteral)
                  .join(', ')}]::${typeOf(rule.column!)}[])`,
              ]
            : []),
          ...(rule.pattern
            ? [`${c}::text ~ ${escapeLiteral(rule.pattern)}`]
            : []),
        ];
        expression = indexOf(
          `count(*) FILTER (WHERE ${c} IS NOT NULL AND NOT (${tests.join(
            ' AND ',
          )}))`,
        );
        break;
      }
      default:
        expression = indexOf(
          `extract(epoch FROM now() - max(${c})::timestamptz)`,
        );
    }
    measures.push({
      ...base,
      source: { statement: 0, column: `m${expression}` },
      ...(rule.metric === 'duplicateValues'
        ? {
            examples: {
              sql: examplesOfDuplicates(rule.column!),
              key: rule.column!,
            },
          }
        : {}),
    });
  }

  const measure: PlanStatement = {
    sql: `SELECT ${expressions
      .map((e, i) => `${e} AS m${i}`)
      .join(', ')} FROM ${from}`,
    role: subject.role,
  };
  const statements: PlanStatement[] = [
    {
      sql: `SELECT set_config('search_path', ${escapeLiteral(
        MODEL_SEARCH_PATH,
      )}, true), set_config('work_mem', ${escapeLiteral(
        QUALITY_WORK_MEM,
      )}, true)`,
      role: subject.role,
    },
    measure,
    ...ruleStatements,
  ];
  const check: PlanQualityCheck = {
    after: statements.length - 1,
    statements: [1, ...ruleStatements.map((_, i) => i + 2)],
    description: `The rows of ${relation.schema}.${relation.name} meet the declared constraints and quality rules`,
    product: subject.product,
    port: subject.port,
    rowCount: { statement: 0, column: 'm0' },
    measures,
  };
  return {
    statements,
    check,
    explainFailure(statement, error) {
      if (!isPgError(error)) {
        return undefined;
      }
      const rule = ruleOf.get(statement);
      if (rule) {
        return new InputError(
          `Quality rule '${rule.key}' (${rule.field}.query) of output port '${subject.port}' of data product '${subject.product}' failed in PostgreSQL: ${error.message}. ` +
            `Fix the query: one SELECT returning one number, reading the port as {{ this }}. The previous version stays in place.`,
        );
      }
      if (statement === measure) {
        return new InputError(
          `Checking the quality rules of output port '${subject.port}' of data product '${subject.product}' failed in PostgreSQL: ${error.message}. ` +
            `Check each rule's validValues (they must be values of the column's type) and pattern (a PostgreSQL regular expression). The previous version stays in place.`,
        );
      }
      return undefined;
    },
  };
}
