import type { DataProductEntityV1alpha1 } from '../DataProductEntityV1alpha1';
import type { OdcsLogicalType } from './types';

// What the two directions of the ODCS mapping share: one table each, so that
// export and import cannot drift apart.

/** DataProduct `spec.lifecycle` → ODCS `status`; other values are kept as they are. */
export const STATUS_OF_LIFECYCLE: Readonly<Record<string, string>> = {
  experimental: 'draft',
  production: 'active',
  deprecated: 'deprecated',
};

/** ODCS `status` → DataProduct `spec.lifecycle`; other values are kept as they are. */
export const LIFECYCLE_OF_STATUS: Readonly<Record<string, string>> = {
  draft: 'experimental',
  proposed: 'experimental',
  active: 'production',
  deprecated: 'deprecated',
};

/** OutputPort `spec.type` ↔ ODCS object `physicalType`. */
export const PHYSICAL_TYPE_OF_PORT_TYPE = {
  'postgres-table': 'table',
  'postgres-view': 'view',
} as const;

/** The names of the custom properties the portal writes and reads. */
export const CUSTOM = {
  /** Top level: the DataProduct's title. */
  productTitle: 'dataProductTitle',
  /** Top level: the DataProduct's `spec.type`. */
  productType: 'dataProductType',
  /** Top level: the DataProduct's `spec.inputs`. */
  productInputs: 'dataProductInputs',
  /** Top level: `spec.deprecation.replacement`. */
  deprecationReplacement: 'deprecationReplacement',
  /** Top level: `spec.deprecation.reason`. */
  deprecationReason: 'deprecationReason',
  /** Schema object: the port's model SQL. */
  model: 'model',
  /** Schema object: the operational table a 1:1 port exposes. */
  sourceTable: 'sourceTable',
  /** Schema object: the port's access level. */
  access: 'access',
  /** Schema object: how a table port's rows are replaced. */
  refreshStrategy: 'refreshStrategy',
  /** Schema object: the port's own owner. */
  owner: 'owner',
  /** Quality rule: the portal metric a rule measures when ODCS has none (freshness). */
  metric: 'metric',
} as const;

/** The SLA property names the portal maps. */
export const SLA = {
  frequency: 'frequency',
  latency: 'latency',
  endOfLife: 'endOfLife',
} as const;

/** The data quality dimension each portal metric reports to. */
export const DIMENSION_OF_METRIC = {
  rowCount: 'completeness',
  nullValues: 'completeness',
  duplicateValues: 'uniqueness',
  invalidValues: 'conformity',
  freshness: 'timeliness',
} as const;

/** The column type a property gets when its contract gives only a logical type. */
export const COLUMN_TYPE_OF_LOGICAL_TYPE: Readonly<
  Partial<Record<OdcsLogicalType, string>>
> = {
  string: 'TEXT',
  integer: 'BIGINT',
  number: 'NUMERIC',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMPTZ',
  time: 'TIME',
};

/**
 * The ODCS logical type of a column type as `format_type()` reports it
 * (`character varying(100)` → `string`).
 */
export function logicalTypeOf(postgresType: string): OdcsLogicalType {
  if (/^(smallint|integer|bigint)$/.test(postgresType)) return 'integer';
  if (/^(numeric|real|double precision)/.test(postgresType)) return 'number';
  if (postgresType === 'boolean') return 'boolean';
  if (postgresType === 'date') return 'date';
  if (postgresType.startsWith('timestamp')) return 'timestamp';
  if (postgresType.startsWith('time')) return 'time';
  if (postgresType === 'json' || postgresType === 'jsonb') return 'object';
  return 'string';
}

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** SLA units, largest first, with their length in seconds and ISO 8601 designator. */
const UNITS = [
  { unit: 'd', seconds: 86400, iso: (n: number) => `P${n}D` },
  { unit: 'h', seconds: 3600, iso: (n: number) => `PT${n}H` },
  { unit: 'min', seconds: 60, iso: (n: number) => `PT${n}M` },
  { unit: 's', seconds: 1, iso: (n: number) => `PT${n}S` },
];

/** Other spellings of the units an imported SLA may use. */
const UNIT_SYNONYMS: Readonly<Record<string, string>> = {
  d: 'd',
  day: 'd',
  days: 'd',
  h: 'h',
  hr: 'h',
  hour: 'h',
  hours: 'h',
  min: 'min',
  minute: 'min',
  minutes: 'min',
  s: 's',
  sec: 's',
  second: 's',
  seconds: 's',
};

/**
 * An ISO 8601 duration of days, hours, minutes and seconds (`PT90M`) as an
 * SLA value in its largest whole unit (`{ value: 90, unit: 'min' }`,
 * `PT2H` → `{ value: 2, unit: 'h' }`).
 */
export function slaValueOfDuration(duration: string): {
  value: number;
  unit: string;
} {
  const match = DURATION.exec(duration);
  if (!match) {
    throw new TypeError(
      `${JSON.stringify(duration)} is not an ISO 8601 duration`,
    );
  }
  const [d, h, m, s] = match.slice(1).map(part => Number(part ?? 0));
  const seconds = ((d * 24 + h) * 60 + m) * 60 + s;
  const best = UNITS.find(u => seconds % u.seconds === 0)!;
  return { value: seconds / best.seconds, unit: best.unit };
}

/**
 * An SLA value and unit (`2`, `h`) as an ISO 8601 duration (`PT2H`), or
 * `undefined` when the value is no positive whole number or the unit is not
 * one of days, hours, minutes or seconds.
 */
export function durationOfSlaValue(
  value: unknown,
  unit: unknown,
): string | undefined {
  const key =
    typeof unit === 'string'
      ? UNIT_SYNONYMS[unit.toLocaleLowerCase('en-US')]
      : undefined;
  const found = UNITS.find(u => u.unit === key);
  if (!found || typeof value !== 'number' || !Number.isInteger(value)) {
    return undefined;
  }
  return value > 0 ? found.iso(value) : undefined;
}

/** Whether a text is a five-field cron expression, as `spec.refresh.schedule` takes. */
export function isCronExpression(value: unknown): value is string {
  return typeof value === 'string' && /^\S+( \S+){4}$/.test(value);
}

/** The port's quality query with `{{ this }}` as ODCS writes the current object: `{object}`. */
export function odcsQuery(query: string): string {
  return query.replace(/\{\{\s*this\s*\}\}/g, '{object}');
}

/**
 * An ODCS quality query in the portal's words: `{object}` (and the older
 * `{table}`) become `{{ this }}`, `{property}` (`{column}`) the column.
 */
export function portQuery(query: string, column?: string): string {
  let result = query.replace(/\{(object|table)\}/g, '{{ this }}');
  if (column !== undefined) {
    result = result.replace(/\{(property|column)\}/g, column);
  }
  return result;
}

/** The product's deprecation, as the contract carries it. */
export type Deprecation = DataProductEntityV1alpha1['spec']['deprecation'];
