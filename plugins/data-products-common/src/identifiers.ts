/**
 * The key words PostgreSQL reserves (category `R`) or reserves except as a
 * function or type name (category `T`), as `pg_get_keywords()` of
 * PostgreSQL 18 lists them. Neither can be used unquoted as a table or column
 * name, so a data product's identifiers must avoid them.
 */
export const POSTGRES_RESERVED_WORDS: ReadonlySet<string> = new Set([
  'all',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'asymmetric',
  'authorization',
  'binary',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'collation',
  'column',
  'concurrently',
  'constraint',
  'create',
  'cross',
  'current_catalog',
  'current_date',
  'current_role',
  'current_schema',
  'current_time',
  'current_timestamp',
  'current_user',
  'default',
  'deferrable',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'fetch',
  'for',
  'foreign',
  'freeze',
  'from',
  'full',
  'grant',
  'group',
  'having',
  'ilike',
  'in',
  'initially',
  'inner',
  'intersect',
  'into',
  'is',
  'isnull',
  'join',
  'lateral',
  'leading',
  'left',
  'like',
  'limit',
  'localtime',
  'localtimestamp',
  'natural',
  'not',
  'notnull',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'outer',
  'overlaps',
  'placing',
  'primary',
  'references',
  'returning',
  'right',
  'select',
  'session_user',
  'similar',
  'some',
  'symmetric',
  'system_user',
  'table',
  'tablesample',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'variadic',
  'verbose',
  'when',
  'where',
  'window',
  'with',
]);

/** PostgreSQL's identifier length limit (NAMEDATALEN - 1), in bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * The pattern of a safe identifier: lower case letters, digits and `_`, not
 * starting with a digit. The kinds' JSON schemas state the same pattern for
 * every identifier field.
 */
export const IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]*$/;

/** The rule {@link IDENTIFIER_PATTERN} states, phrased to follow the value. */
export const IDENTIFIER_RULE =
  'must be a safe PostgreSQL identifier: lower case letters, digits and underscores, not starting with a digit ([a-z_][a-z0-9_]*)';

/**
 * The rule a name matching {@link IDENTIFIER_PATTERN} can still break: being
 * a PostgreSQL reserved word. Returns the rule, or `undefined`.
 */
export function reservedWordRule(name: string): string | undefined {
  return POSTGRES_RESERVED_WORDS.has(name)
    ? 'must not be a PostgreSQL reserved word'
    : undefined;
}

/**
 * Checks that a value is a safe PostgreSQL identifier for a schema, table or
 * column: it matches `[a-z_][a-z0-9_]*`, is at most 63 bytes long and is not a
 * reserved word. Returns the rule that is broken (phrased to follow the
 * value, e.g. `must not be a PostgreSQL reserved word`), or `undefined` when
 * the value is safe.
 */
export function validateIdentifier(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return 'must be a non-empty string';
  }
  if (!IDENTIFIER_PATTERN.test(value)) {
    return IDENTIFIER_RULE;
  }
  const bytes = new TextEncoder().encode(value).length;
  if (bytes > MAX_IDENTIFIER_BYTES) {
    return `must be at most ${MAX_IDENTIFIER_BYTES} bytes long (PostgreSQL truncates longer identifiers), it is ${bytes}`;
  }
  return reservedWordRule(value);
}

/** True when a value is a safe PostgreSQL identifier (see {@link validateIdentifier}). */
export function isSafeIdentifier(value: unknown): value is string {
  return validateIdentifier(value) === undefined;
}

/**
 * Throws an `Error` naming `what` and the value when the value is not a safe
 * PostgreSQL identifier; use before any SQL that contains the identifier runs.
 */
export function assertSafeIdentifier(
  value: unknown,
  what: string,
): asserts value is string {
  const problem = validateIdentifier(value);
  if (problem) {
    throw new Error(`Invalid ${what} ${JSON.stringify(value)}: ${problem}`);
  }
}

/** Quotes a safe identifier for SQL (`"name"`); throws for an unsafe one. */
export function quoteIdentifier(value: string, what = 'identifier'): string {
  assertSafeIdentifier(value, what);
  return `"${value}"`;
}

/** Schema names a data product may never use: PostgreSQL's own and the shared default. */
export const RESERVED_SCHEMA_NAMES: ReadonlySet<string> = new Set([
  'public',
  'information_schema',
]);

/**
 * The rules of a data product's schema name beyond those of any identifier:
 * it does not start with `pg_` (reserved by PostgreSQL for system schemas),
 * is not `public` or `information_schema` and holds no `__`. Returns the rule
 * that is broken, or `undefined`.
 */
export function schemaNameRule(name: string): string | undefined {
  if (name.startsWith('pg_')) {
    return `must not start with 'pg_' (reserved by PostgreSQL for system schemas)`;
  }
  if (RESERVED_SCHEMA_NAMES.has(name)) {
    return 'must not be a shared schema (public, information_schema): a data product needs a dedicated schema';
  }
  if (name.includes('__')) {
    // Reader roles are named <prefix><schema>__<port>_r: a schema without a
    // double underscore keeps every product's and port's role name distinct.
    return "must not contain '__' (two underscores separate the schema from the port in role names)";
  }
  return undefined;
}

/**
 * Checks a data product's schema name: a safe identifier (see
 * {@link validateIdentifier}) that also follows {@link schemaNameRule}.
 * Returns the rule that is broken, or `undefined`.
 */
export function validateSchemaName(value: unknown): string | undefined {
  return validateIdentifier(value) ?? schemaNameRule(value as string);
}
