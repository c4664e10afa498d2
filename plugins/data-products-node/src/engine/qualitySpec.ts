import { InputError } from '@backstage/errors';
import {
  OutputPortEntityV1alpha1,
  OutputPortQualityOperator,
  QUALITY_OPERATORS,
} from '@dataproducts/plugin-data-products-common';
import { ColumnSpec } from './spec';
import { checkIdentifier } from './sql';

/** The constraints a column declares (`required`, `unique`, `primaryKey`). */
export interface ColumnConstraintSpec {
  column: string;
  required: boolean;
  unique: boolean;
  primaryKey: boolean;
}

/** The library metrics of a quality rule. */
export type QualityMetric =
  | 'rowCount'
  | 'nullValues'
  | 'duplicateValues'
  | 'invalidValues'
  | 'freshness';

/** A quality rule of a port, validated and normalized. */
export interface QualityRuleSpec {
  /** Stable within the port: the rule's name, else made from its metric and column. */
  key: string;
  /** Where the rule is declared, for messages: `spec.quality[2]`. */
  field: string;
  description?: string;
  type: 'library' | 'sql';
  metric?: QualityMetric;
  column?: string;
  /** For `sql`: the query as written, checked by the model checker when planned. */
  query?: string;
  validValues?: Array<string | number | boolean>;
  pattern?: string;
  unit: 'rows' | 'percent' | 'seconds';
  operator: OutputPortQualityOperator;
  /** One number, or `[low, high]` for the between operators. */
  threshold: number | [number, number];
  severity: 'error' | 'warning';
}

/** What a build of a port checks besides its columns. */
export interface PortChecks {
  constraints: ColumnConstraintSpec[];
  rules: QualityRuleSpec[];
}

const METRICS: readonly QualityMetric[] = [
  'rowCount',
  'nullValues',
  'duplicateValues',
  'invalidValues',
  'freshness',
];

// The column types whose age a freshness rule can measure.
const TIME_TYPE = /^(date|timestamp\b)/;

function problem(
  port: string,
  field: string,
  value: unknown,
  rule: string,
): InputError {
  return new InputError(
    `Invalid ${field} of output port '${port}' ${JSON.stringify(
      value,
    )}: ${rule}`,
  );
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** True when a port declares anything for a build to check besides its columns. */
export function hasChecks(checks: PortChecks | undefined): boolean {
  return Boolean(checks && (checks.constraints.length || checks.rules.length));
}

/** The declared constraints of a port's columns, each checked to be a boolean. */
function constraintsOf(
  port: OutputPortEntityV1alpha1,
  columns: ColumnSpec[],
): ColumnConstraintSpec[] {
  const declared = Array.isArray(port.spec.columns) ? port.spec.columns : [];
  const constraints: ColumnConstraintSpec[] = [];
  declared.forEach((column, index) => {
    const flags = { required: false, unique: false, primaryKey: false };
    for (const flag of Object.keys(flags) as Array<keyof typeof flags>) {
      const value: unknown = column?.[flag];
      if (value !== undefined && typeof value !== 'boolean') {
        throw problem(
          port.spec.name,
          `spec.columns[${index}].${flag}`,
          value,
          'must be true or false',
        );
      }
      flags[flag] = value === true;
    }
    if (flags.primaryKey && column.required === false) {
      throw problem(
        port.spec.name,
        `spec.columns[${index}].required`,
        false,
        'contradicts primaryKey: true (a primary key column is never null); remove required: false',
      );
    }
    if (flags.required || flags.unique || flags.primaryKey) {
      constraints.push({ column: columns[index].name, ...flags });
    }
  });
  const keys = constraints.filter(c => c.primaryKey);
  if (keys.length > 1) {
    throw new InputError(
      `Output port '${port.spec.name}' declares primaryKey on ${keys
        .map(c => `'${c.column}'`)
        .join(
          ' and ',
        )}: a port has at most one primary key column. Keep primaryKey on one and mark the others unique.`,
    );
  }
  return constraints;
}

function ruleOf(
  port: string,
  raw: unknown,
  index: number,
  columns: ColumnSpec[],
): Omit<QualityRuleSpec, 'key'> & { name?: string } {
  const field = `spec.quality[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw problem(port, field, raw, 'must be an object');
  }
  const rule = raw as Record<string, unknown>;
  let name: string | undefined;
  if (rule.name !== undefined) {
    name = checkIdentifier(rule.name, `${field}.name of output port '${port}'`);
  }
  const type = rule.type ?? (rule.query === undefined ? 'library' : 'sql');
  if (type !== 'library' && type !== 'sql') {
    throw problem(port, `${field}.type`, rule.type, 'must be library or sql');
  }
  const operators = QUALITY_OPERATORS.filter(op => rule[op] !== undefined);
  if (operators.length !== 1) {
    throw problem(
      port,
      field,
      operators,
      `needs exactly one of ${QUALITY_OPERATORS.join(', ')}`,
    );
  }
  const operator = operators[0];
  const value = rule[operator];
  const between =
    operator === 'mustBeBetween' || operator === 'mustNotBeBetween';
  if (
    between
      ? !Array.isArray(value) ||
        value.length !== 2 ||
        !value.every(isNumber) ||
        value[0] > value[1]
      : !isNumber(value)
  ) {
    throw problem(
      port,
      `${field}.${operator}`,
      value,
      between ? 'must be [low, high], two numbers' : 'must be a number',
    );
  }
  const severity = rule.severity ?? 'error';
  if (severity !== 'error' && severity !== 'warning') {
    throw problem(
      port,
      `${field}.severity`,
      rule.severity,
      'must be error or warning',
    );
  }
  const description =
    typeof rule.description === 'string' ? rule.description : undefined;
  const base = {
    name,
    field,
    description,
    operator,
    threshold: value as number | [number, number],
    severity: severity as 'error' | 'warning',
  };
  if (type === 'sql') {
    if (typeof rule.query !== 'string' || !rule.query.trim()) {
      throw problem(
        port,
        `${field}.query`,
        rule.query,
        'a rule of type sql needs a query: one SELECT returning one number, reading the port as {{ this }}',
      );
    }
    for (const other of ['metric', 'column', 'arguments', 'unit']) {
      if (rule[other] !== undefined) {
        throw problem(
          port,
          `${field}.${other}`,
          rule[other],
          'is not allowed with type: sql (the query returns the number compared)',
        );
      }
    }
    return { ...base, type: 'sql', query: rule.query, unit: 'rows' };
  }
  if (rule.query !== undefined) {
    throw problem(port, `${field}.query`, rule.query, 'needs type: sql');
  }
  const metric = rule.metric as QualityMetric;
  if (!METRICS.includes(metric)) {
    throw problem(
      port,
      `${field}.metric`,
      rule.metric,
      `must be one of ${METRICS.join(', ')}`,
    );
  }
  let column: ColumnSpec | undefined;
  if (metric === 'rowCount') {
    if (rule.column !== undefined) {
      throw problem(
        port,
        `${field}.column`,
        rule.column,
        'is not allowed with metric rowCount',
      );
    }
  } else {
    column = columns.find(c => c.name === rule.column);
    if (!column) {
      throw problem(
        port,
        `${field}.column`,
        rule.column,
        `must name a declared column of the port for metric ${metric} (${columns
          .map(c => c.name)
          .join(', ')})`,
      );
    }
  }
  const args = (rule.arguments ?? {}) as Record<string, unknown>;
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw problem(
      port,
      `${field}.arguments`,
      rule.arguments,
      'must be an object',
    );
  }
  let validValues: QualityRuleSpec['validValues'];
  let pattern: string | undefined;
  if (metric === 'invalidValues') {
    if (args.validValues !== undefined) {
      const values = args.validValues;
      if (
        !Array.isArray(values) ||
        values.length === 0 ||
        !values.every(v => ['string', 'number', 'boolean'].includes(typeof v))
      ) {
        throw problem(
          port,
          `${field}.arguments.validValues`,
          values,
          'must be a non-empty list of strings, numbers or booleans',
        );
      }
      validValues = values;
    }
    if (args.pattern !== undefined) {
      if (typeof args.pattern !== 'string' || args.pattern === '') {
        throw problem(
          port,
          `${field}.arguments.pattern`,
          args.pattern,
          'must be a regular expression (PostgreSQL POSIX syntax)',
        );
      }
      pattern = args.pattern;
    }
    if (!validValues && !pattern) {
      throw problem(
        port,
        `${field}.arguments`,
        rule.arguments,
        'needs validValues or pattern for metric invalidValues',
      );
    }
  } else if (Object.keys(args).length > 0) {
    throw problem(
      port,
      `${field}.arguments`,
      rule.arguments,
      'are only for metric invalidValues',
    );
  }
  if (metric === 'freshness' && !TIME_TYPE.test(column!.type)) {
    throw problem(
      port,
      `${field}.column`,
      rule.column,
      `is ${
        column!.type
      }: a freshness rule measures a date or timestamp column`,
    );
  }
  const unit = rule.unit ?? 'rows';
  if (unit !== 'rows' && unit !== 'percent') {
    throw problem(port, `${field}.unit`, rule.unit, 'must be rows or percent');
  }
  if (unit === 'percent' && (metric === 'rowCount' || metric === 'freshness')) {
    throw problem(
      port,
      `${field}.unit`,
      unit,
      `is not allowed with metric ${metric}`,
    );
  }
  return {
    ...base,
    type: 'library',
    metric,
    column: column?.name,
    ...(validValues ? { validValues } : {}),
    ...(pattern ? { pattern } : {}),
    unit: metric === 'freshness' ? 'seconds' : unit,
  };
}

/**
 * A port's declared constraints and quality rules, validated before any SQL
 * runs: each problem is an `InputError` naming the field, the value and what
 * to write instead.
 */
export function checkPortChecks(
  port: OutputPortEntityV1alpha1,
  columns: ColumnSpec[],
): PortChecks {
  const raw: unknown = port.spec.quality;
  if (raw !== undefined && !Array.isArray(raw)) {
    throw problem(
      port.spec.name,
      'spec.quality',
      raw,
      'must be a list of rules',
    );
  }
  const keys = new Set<string>();
  const rules = ((raw as unknown[] | undefined) ?? []).map((item, index) => {
    const { name, ...rule } = ruleOf(port.spec.name, item, index, columns);
    let key =
      name ??
      (rule.type === 'sql'
        ? `sql_${index}`
        : [rule.metric, rule.column].filter(Boolean).join('_'));
    if (keys.has(key)) {
      if (name) {
        throw problem(
          port.spec.name,
          `${rule.field}.name`,
          name,
          'is a duplicate rule name: rule names must be unique within a port',
        );
      }
      key = `${key}_${index}`;
    }
    keys.add(key);
    return { key, ...rule };
  });
  return { constraints: constraintsOf(port, columns), rules };
}
