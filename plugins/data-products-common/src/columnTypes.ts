/** One entry of the documented set of column types an output port may declare. */
export interface ColumnTypeDefinition {
  /** The canonical spelling in a contract, e.g. `VARCHAR(n)`. */
  syntax: string;
  /** Other accepted spellings. */
  aliases: string[];
  /** What PostgreSQL's `format_type()` reports for it, e.g. `character varying(n)`. */
  postgres: string;
}

/** The documented set of column types, in the order the docs list them. */
export const COLUMN_TYPES: ReadonlyArray<ColumnTypeDefinition> = [
  { syntax: 'SMALLINT', aliases: ['INT2'], postgres: 'smallint' },
  { syntax: 'INTEGER', aliases: ['INT', 'INT4'], postgres: 'integer' },
  { syntax: 'BIGINT', aliases: ['INT8'], postgres: 'bigint' },
  {
    syntax: 'NUMERIC(p,s)',
    aliases: ['NUMERIC', 'NUMERIC(p)', 'DECIMAL', 'DECIMAL(p)', 'DECIMAL(p,s)'],
    postgres: 'numeric(p,s)',
  },
  { syntax: 'REAL', aliases: ['FLOAT4', 'FLOAT(1..24)'], postgres: 'real' },
  {
    syntax: 'DOUBLE PRECISION',
    aliases: ['FLOAT8', 'FLOAT', 'FLOAT(25..53)'],
    postgres: 'double precision',
  },
  {
    syntax: 'VARCHAR(n)',
    aliases: ['VARCHAR', 'CHARACTER VARYING(n)'],
    postgres: 'character varying(n)',
  },
  {
    syntax: 'CHAR(n)',
    aliases: ['CHAR', 'CHARACTER(n)'],
    postgres: 'character(n)',
  },
  { syntax: 'TEXT', aliases: [], postgres: 'text' },
  { syntax: 'BOOLEAN', aliases: ['BOOL'], postgres: 'boolean' },
  { syntax: 'DATE', aliases: [], postgres: 'date' },
  {
    syntax: 'TIMESTAMP',
    aliases: ['TIMESTAMP(p)', 'TIMESTAMP WITHOUT TIME ZONE'],
    postgres: 'timestamp without time zone',
  },
  {
    syntax: 'TIMESTAMPTZ',
    aliases: ['TIMESTAMPTZ(p)', 'TIMESTAMP WITH TIME ZONE'],
    postgres: 'timestamp with time zone',
  },
  {
    syntax: 'TIME',
    aliases: ['TIME(p)', 'TIME WITHOUT TIME ZONE'],
    postgres: 'time without time zone',
  },
  {
    syntax: 'TIMETZ',
    aliases: ['TIME WITH TIME ZONE'],
    postgres: 'time with time zone',
  },
  { syntax: 'INTERVAL', aliases: [], postgres: 'interval' },
  { syntax: 'UUID', aliases: [], postgres: 'uuid' },
  { syntax: 'JSON', aliases: [], postgres: 'json' },
  { syntax: 'JSONB', aliases: [], postgres: 'jsonb' },
  { syntax: 'BYTEA', aliases: [], postgres: 'bytea' },
];

const MAX_VARCHAR_LENGTH = 10485760;
const MAX_NUMERIC_PRECISION = 1000;
const MAX_TIME_PRECISION = 6;

const SIMPLE_TYPES: Record<string, string> = {
  smallint: 'smallint',
  int2: 'smallint',
  integer: 'integer',
  int: 'integer',
  int4: 'integer',
  bigint: 'bigint',
  int8: 'bigint',
  real: 'real',
  float4: 'real',
  'double precision': 'double precision',
  float8: 'double precision',
  text: 'text',
  boolean: 'boolean',
  bool: 'boolean',
  date: 'date',
  interval: 'interval',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'jsonb',
  bytea: 'bytea',
};

const TYPE_SYNTAX =
  /^([a-z][a-z0-9]*(?: [a-z][a-z0-9]*)*?)(?: ?\( ?(\d+) ?(?:, ?(\d+) ?)?\))?(?: (with|without) time zone)?$/;

type ParsedColumnType = { postgres: string } | { error: string };

const SUPPORTED_LIST = COLUMN_TYPES.map(t => t.syntax).join(', ');

const UNSUPPORTED: ParsedColumnType = {
  error: `must be one of the documented column types: ${SUPPORTED_LIST}`,
};

function parseColumnType(type: unknown): ParsedColumnType {
  if (typeof type !== 'string' || type.trim() === '') {
    return { error: 'must be a non-empty string' };
  }
  const text = type.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-US');
  const match = TYPE_SYNTAX.exec(text);
  if (!match) {
    return UNSUPPORTED;
  }
  const [, base, first, second, zone] = match;
  const arg1 = first === undefined ? undefined : Number(first);
  const arg2 = second === undefined ? undefined : Number(second);
  const noArgs = arg1 === undefined;

  if (zone && !['timestamp', 'time'].includes(base)) {
    return UNSUPPORTED;
  }
  if (SIMPLE_TYPES[base]) {
    return noArgs ? { postgres: SIMPLE_TYPES[base] } : UNSUPPORTED;
  }
  switch (base) {
    case 'numeric':
    case 'decimal': {
      if (arg1 === undefined) {
        return { postgres: 'numeric' };
      }
      const scale = arg2 ?? 0;
      if (arg1 < 1 || arg1 > MAX_NUMERIC_PRECISION) {
        return {
          error: `must have a NUMERIC precision between 1 and ${MAX_NUMERIC_PRECISION} (it is ${arg1})`,
        };
      }
      if (scale > arg1) {
        return {
          error: `must have a NUMERIC scale between 0 and the precision ${arg1} (it is ${scale})`,
        };
      }
      return { postgres: `numeric(${arg1},${scale})` };
    }
    case 'float': {
      if (arg2 !== undefined) {
        return UNSUPPORTED;
      }
      if (arg1 === undefined) {
        return { postgres: 'double precision' };
      }
      if (arg1 < 1 || arg1 > 53) {
        return {
          error: `must have a FLOAT precision between 1 and 53 (it is ${arg1})`,
        };
      }
      return { postgres: arg1 <= 24 ? 'real' : 'double precision' };
    }
    case 'varchar':
    case 'character varying':
    case 'char':
    case 'character': {
      if (arg2 !== undefined) {
        return UNSUPPORTED;
      }
      const varying = base === 'varchar' || base === 'character varying';
      const name = varying ? 'character varying' : 'character';
      if (arg1 === undefined) {
        return { postgres: varying ? name : `${name}(1)` };
      }
      if (arg1 < 1 || arg1 > MAX_VARCHAR_LENGTH) {
        return {
          error: `must have a ${
            varying ? 'VARCHAR' : 'CHAR'
          } length between 1 and ${MAX_VARCHAR_LENGTH} (it is ${arg1})`,
        };
      }
      return { postgres: `${name}(${arg1})` };
    }
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'timetz': {
      if (arg2 !== undefined) {
        return UNSUPPORTED;
      }
      if ((base === 'timestamptz' || base === 'timetz') && zone) {
        return UNSUPPORTED;
      }
      if (arg1 !== undefined && arg1 > MAX_TIME_PRECISION) {
        return {
          error: `must have a ${base.toLocaleUpperCase(
            'en-US',
          )} precision between 0 and ${MAX_TIME_PRECISION} (it is ${arg1})`,
        };
      }
      const withZone =
        base === 'timestamptz' || base === 'timetz' || zone === 'with';
      const name = base.startsWith('timestamp') ? 'timestamp' : 'time';
      const precision = arg1 === undefined ? '' : `(${arg1})`;
      return {
        postgres: `${name}${precision} ${
          withZone ? 'with' : 'without'
        } time zone`,
      };
    }
    default:
      return UNSUPPORTED;
  }
}

/**
 * Checks that a declared column type belongs to the documented set
 * ({@link COLUMN_TYPES}) with valid parameters. Returns the rule that is
 * broken (phrased to follow the value), or `undefined` when the type is
 * supported.
 */
export function validateColumnType(type: unknown): string | undefined {
  const parsed = parseColumnType(type);
  return 'error' in parsed ? parsed.error : undefined;
}

/** True when a declared column type belongs to the documented set. */
export function isSupportedColumnType(type: unknown): type is string {
  return validateColumnType(type) === undefined;
}

/**
 * Maps a column type, as declared in a contract (`DECIMAL(10,2)`) or as
 * PostgreSQL's `format_type()` reports it (`numeric(10,2)`), to the form
 * `format_type()` reports: `INTEGER` → `integer`, `VARCHAR(100)` →
 * `character varying(100)`, `TIMESTAMP` → `timestamp without time zone`.
 * Comparing normalized types is how declared contracts are checked against
 * the warehouse. Throws an `Error` for a type outside the documented set.
 */
export function normalizeColumnType(type: string): string {
  const parsed = parseColumnType(type);
  if ('error' in parsed) {
    throw new Error(
      `Invalid column type ${JSON.stringify(type)}: ${parsed.error}`,
    );
  }
  return parsed.postgres;
}

/**
 * True when two column types denote the same PostgreSQL type after
 * normalization; false when either is outside the documented set.
 */
export function columnTypesMatch(a: string, b: string): boolean {
  const pa = parseColumnType(a);
  const pb = parseColumnType(b);
  return 'postgres' in pa && 'postgres' in pb && pa.postgres === pb.postgres;
}
