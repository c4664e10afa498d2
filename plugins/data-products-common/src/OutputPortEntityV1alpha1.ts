import type { Entity, KindValidator } from '@backstage/catalog-model';
import { validateColumnType } from './columnTypes';
import { EntityValidationProblem, isObject } from './entityProblems';
import {
  createEntityValidation,
  createKindValidator,
  ProblemList,
} from './entityValidation';
import { reservedWordRule } from './identifiers';
import { DATA_PRODUCTS_API_VERSION, OUTPUT_PORT_KIND } from './kinds';
import { getEntityNamespace, parseDataProductRef, parseOwnerRef } from './refs';
import schema from './schema/OutputPort.v1alpha1.schema.json';
import {
  parseSourceReferences,
  SourceReferenceError,
} from './sourceReferences';

/** How an output port is materialized in PostgreSQL. */
export type OutputPortType = 'postgres-table' | 'postgres-view';

/**
 * How consumers get read access to an output port, as written in
 * `spec.access`: `unrestricted` is a deprecated spelling of `public` (read it
 * through `outputPortAccessLevel`).
 */
export type OutputPortAccess =
  | 'public'
  | 'restricted'
  | 'private'
  | 'unrestricted';

/**
 * How a table port's rows are replaced on each build (`spec.refreshStrategy`):
 * `swap` builds beside and swaps in (the default); `delete-insert` replaces
 * the rows in one transaction, safe for REPEATABLE READ and SERIALIZABLE
 * readers.
 */
export type OutputPortRefreshStrategy = 'swap' | 'delete-insert';

/**
 * When a table port is rebuilt and how old its data may get
 * (`spec.refresh`): ODCS's frequency and latency.
 */
export type OutputPortRefreshPolicy = {
  /** A five-field cron expression (UTC), or `{ every: <ISO 8601 duration> }`. */
  schedule?: string | { every: string };
  freshness?: {
    /** ISO 8601 duration after the last successful build during which the data is fresh. */
    maxAge: string;
  };
};

/** A library metric of a quality rule (ODCS v3.1 names, plus `freshness`). */
export type OutputPortQualityMetric =
  | 'rowCount'
  | 'nullValues'
  | 'duplicateValues'
  | 'invalidValues'
  | 'freshness';

/** The comparison operators of a quality rule (ODCS v3.1); a rule has exactly one. */
export const QUALITY_OPERATORS = [
  'mustBe',
  'mustNotBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
  'mustNotBeBetween',
] as const;

/** One of {@link QUALITY_OPERATORS}. */
export type OutputPortQualityOperator = (typeof QUALITY_OPERATORS)[number];

/**
 * One quality rule of a port (`spec.quality[]`), checked on every build
 * before the new data is published.
 */
export type OutputPortQualityRule = {
  name?: string;
  description?: string;
  /** `library` (a metric; the default) or `sql` (a query returning one number). */
  type?: 'library' | 'sql';
  metric?: OutputPortQualityMetric;
  /** The column of a column-level metric. */
  column?: string;
  /** For `sql`: one SELECT returning a single number, reading the port as `{{ this }}`. */
  query?: string;
  arguments?: {
    validValues?: Array<string | number | boolean>;
    pattern?: string;
  };
  /** `rows` (the default) or `percent`; freshness is measured in seconds. */
  unit?: 'rows' | 'percent';
  mustBe?: number;
  mustNotBe?: number;
  mustBeGreaterThan?: number;
  mustBeGreaterOrEqualTo?: number;
  mustBeLessThan?: number;
  mustBeLessOrEqualTo?: number;
  mustBeBetween?: [number, number];
  mustNotBeBetween?: [number, number];
  /** `error` (the default) fails the build; `warning` is recorded. */
  severity?: 'error' | 'warning';
};

/** One column of an output port's contract. */
export type OutputPortColumn = {
  name: string;
  /** A SQL type from the documented set, e.g. `INTEGER`, `VARCHAR(100)`, `DECIMAL(10,2)`. */
  type: string;
  description?: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
  /** The data classification (ODCS), e.g. `pii`: pii columns are masked in previews. */
  classification?: string;
};

/** An OutputPort entity. */
export interface OutputPortEntityV1alpha1 extends Entity {
  apiVersion: typeof DATA_PRODUCTS_API_VERSION;
  kind: typeof OUTPUT_PORT_KIND;
  spec: {
    /** Ref to the DataProduct this port belongs to. */
    dataProduct: string;
    /** The port name: the table or view name in the product's schema, and the name `source()` uses. */
    name: string;
    type: OutputPortType;
    /** The contract version, MAJOR.MINOR.PATCH; `1.0.0` when absent. */
    version?: string;
    access?: OutputPortAccess;
    refreshStrategy?: OutputPortRefreshStrategy;
    refresh?: OutputPortRefreshPolicy;
    quality?: OutputPortQualityRule[];
    owner?: string;
    /** The operational table (`schema.table`) a 1:1 source-aligned port exposes. */
    source?: string;
    /** Model SQL with `{{ source('<product>', '<port>') }}` references. */
    model?: string;
    columns: OutputPortColumn[];
  };
}

/** The JSON schema (draft-07) of the OutputPort kind: every structural rule of the kind. */
export const outputPortEntityV1alpha1Schema = schema;

function checkColumns(columns: unknown, problems: ProblemList) {
  if (!Array.isArray(columns)) {
    return;
  }
  const seen = new Map<string, number>();
  columns.forEach((column, index) => {
    const field = `spec.columns[${index}]`;
    if (!isObject(column)) {
      return;
    }
    const name = problems.string(`${field}.name`, column.name);
    if (name !== undefined) {
      problems.add(`${field}.name`, name, reservedWordRule(name));
      const first = seen.get(name);
      if (first === undefined) {
        seen.set(name, index);
      } else {
        problems.add(
          `${field}.name`,
          name,
          `is a duplicate column name (also spec.columns[${first}].name): column names must be unique`,
        );
      }
    }
    const type = problems.string(`${field}.type`, column.type);
    if (type !== undefined) {
      problems.add(`${field}.type`, type, validateColumnType(type));
    }
    if (column.primaryKey === true && column.required === false) {
      problems.add(
        `${field}.required`,
        false,
        'contradicts primaryKey: true (a primary key column is never null)',
      );
    }
  });
}

const COLUMN_METRICS = new Set([
  'nullValues',
  'duplicateValues',
  'invalidValues',
  'freshness',
]);

function checkQuality(spec: Record<string, unknown>, problems: ProblemList) {
  if (!Array.isArray(spec.quality)) {
    return;
  }
  const columns = new Set(
    (Array.isArray(spec.columns) ? spec.columns : []).map(column =>
      isObject(column) ? column.name : undefined,
    ),
  );
  const names = new Map<string, number>();
  spec.quality.forEach((rule, index) => {
    const field = `spec.quality[${index}]`;
    if (!isObject(rule)) {
      return;
    }
    const type = rule.type ?? (rule.query === undefined ? 'library' : 'sql');
    if (type === 'library' && rule.metric === undefined) {
      problems.add(
        field,
        undefined,
        'needs a metric (or type: sql and a query)',
      );
    }
    if (type === 'library' && rule.query !== undefined) {
      problems.add(
        `${field}.query`,
        undefined,
        'is only allowed with type: sql',
      );
    }
    if (
      type === 'sql' &&
      (rule.query === undefined || rule.metric !== undefined)
    ) {
      problems.add(
        field,
        undefined,
        'with type: sql needs a query and no metric',
      );
    }
    if (typeof rule.metric === 'string') {
      if (COLUMN_METRICS.has(rule.metric) && rule.column === undefined) {
        problems.add(
          `${field}.column`,
          undefined,
          `is required by metric ${rule.metric}`,
        );
      }
      if (rule.metric === 'rowCount' && rule.column !== undefined) {
        problems.add(
          `${field}.column`,
          rule.column,
          'is not allowed with metric rowCount',
        );
      }
      const args = isObject(rule.arguments) ? rule.arguments : {};
      if (
        rule.metric === 'invalidValues' &&
        args.validValues === undefined &&
        args.pattern === undefined
      ) {
        problems.add(
          `${field}.arguments`,
          undefined,
          'needs validValues or pattern for metric invalidValues',
        );
      }
    }
    if (typeof rule.column === 'string' && !columns.has(rule.column)) {
      problems.add(
        `${field}.column`,
        rule.column,
        'is not a column of the port',
      );
    }
    const operators = QUALITY_OPERATORS.filter(op => rule[op] !== undefined);
    if (operators.length !== 1) {
      problems.add(
        field,
        undefined,
        `needs exactly one of ${QUALITY_OPERATORS.join(', ')} (has ${
          operators.length
        })`,
      );
    }
    for (const op of ['mustBeBetween', 'mustNotBeBetween'] as const) {
      const range = rule[op];
      if (Array.isArray(range) && range.length === 2 && range[0] > range[1]) {
        problems.add(`${field}.${op}`, range, 'must be [low, high]');
      }
    }
    if (typeof rule.name === 'string') {
      const first = names.get(rule.name);
      if (first === undefined) {
        names.set(rule.name, index);
      } else {
        problems.add(
          `${field}.name`,
          rule.name,
          `is a duplicate rule name (also spec.quality[${first}].name)`,
        );
      }
    }
  });
  if (spec.type === 'postgres-view' && spec.refresh !== undefined) {
    problems.add(
      'spec.refresh',
      undefined,
      'is only for postgres-table ports: a view is live, its freshness is that of its inputs',
    );
  }
}

/**
 * Validates an OutputPort entity: every violation of its JSON schema, then
 * the rules a schema cannot say (port, column and source table names that
 * are no reserved words, column types from the documented set with valid
 * parameters, no duplicate column names, well-formed `source()` references,
 * product and owner refs of the right kinds). Returns every broken rule, each
 * naming the field, the value and the rule; an empty list means the entity is
 * valid.
 */
export const validateOutputPortEntity: (
  entity: Entity,
) => EntityValidationProblem[] = createEntityValidation(
  schema,
  (entity, problems) => {
    const spec = entity.spec as Record<string, unknown>;
    const context = { defaultNamespace: getEntityNamespace(entity) };
    problems.ref('spec.dataProduct', spec.dataProduct, ref =>
      parseDataProductRef(ref, context),
    );
    problems.ref('spec.owner', spec.owner, ref => parseOwnerRef(ref, context));
    const name = problems.string('spec.name', spec.name);
    if (name !== undefined) {
      problems.add('spec.name', name, reservedWordRule(name));
    }
    const source = problems.string('spec.source', spec.source);
    for (const part of source?.split('.') ?? []) {
      const rule = reservedWordRule(part);
      problems.add('spec.source', source, rule && `'${part}' ${rule}`);
    }
    const model = problems.string('spec.model', spec.model);
    if (model !== undefined) {
      try {
        parseSourceReferences(model);
      } catch (error) {
        if (!(error instanceof SourceReferenceError)) {
          throw error;
        }
        problems.add('spec.model', undefined, `is invalid: ${error.message}`);
      }
    }
    checkColumns(spec.columns, problems);
    checkQuality(spec, problems);
  },
);

/**
 * Validates OutputPort entities for the catalog: `check` answers `false` for
 * other kinds, `true` for a valid OutputPort, and throws a `TypeError`
 * listing every broken rule otherwise.
 */
export const outputPortEntityV1alpha1Validator: KindValidator =
  createKindValidator(OUTPUT_PORT_KIND, validateOutputPortEntity);

/** True when the entity is an OutputPort. */
export function isOutputPortEntity(
  entity: Entity | undefined,
): entity is OutputPortEntityV1alpha1 {
  return (
    entity?.kind?.toLocaleLowerCase('en-US') ===
    OUTPUT_PORT_KIND.toLocaleLowerCase('en-US')
  );
}
