import {
  isSupportedColumnType,
  type OutputPortColumn,
} from '@dataproducts/plugin-data-products-common';

/** `format_type()` spellings whose contract spelling is not just upper case. */
const CONTRACT_SPELLINGS: Array<[RegExp, (...args: string[]) => string]> = [
  [/^character varying\((\d+)\)$/, n => `VARCHAR(${n})`],
  [/^character varying$/, () => 'VARCHAR'],
  [/^character\((\d+)\)$/, n => `CHAR(${n})`],
  [/^numeric\((\d+),(\d+)\)$/, (p, s) => `NUMERIC(${p},${s})`],
  [
    /^timestamp(?:\((\d)\))? without time zone$/,
    p => `TIMESTAMP${p ? `(${p})` : ''}`,
  ],
  [
    /^timestamp(?:\((\d)\))? with time zone$/,
    p => `TIMESTAMPTZ${p ? `(${p})` : ''}`,
  ],
  [/^time(?:\((\d)\))? without time zone$/, p => `TIME${p ? `(${p})` : ''}`],
  [/^time with time zone$/, () => 'TIMETZ'],
];

/**
 * The contract's spelling of a type as PostgreSQL's `format_type()` reports
 * it: `character varying(101)` → `VARCHAR(101)`, `integer` → `INTEGER`,
 * `numeric(10,2)` → `NUMERIC(10,2)`. A type outside the documented set
 * comes back in upper case; {@link isSupportedColumnType} tells it apart.
 */
export function contractColumnType(formatted: string): string {
  const text = formatted.trim().toLocaleLowerCase('en-US');
  for (const [pattern, spell] of CONTRACT_SPELLINGS) {
    const match = pattern.exec(text);
    if (match) {
      return spell(...match.slice(1));
    }
  }
  return text.toLocaleUpperCase('en-US');
}

/**
 * The declared columns for what a model produces, in its order: names and
 * types from PostgreSQL; descriptions and other fields kept from a column
 * of the same name already declared.
 */
export function contractFromModel(
  inferred: Array<{ name: string; type: string }>,
  declared: OutputPortColumn[] = [],
): OutputPortColumn[] {
  const byName = new Map(
    declared.filter(c => c?.name).map(column => [column.name, column]),
  );
  return inferred.map(({ name, type }) => ({
    ...byName.get(name),
    name,
    type: contractColumnType(type),
  }));
}

/** The columns of a contract whose type falls outside the documented set. */
export function unsupportedColumns(columns: OutputPortColumn[]): string[] {
  return columns
    .filter(column => !isSupportedColumnType(column.type))
    .map(column => `${column.name} (${column.type})`);
}

/**
 * The entity name the templates derive from a product's title:
 * "Marketing Customer 360" → `marketing-customer-360` (lower case, runs of
 * other characters become `-`, none at either end).
 */
export function productNameFromTitle(title: string): string {
  return title
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Where in the model a check's message points, as `line N, column M`. */
export function modelPosition(
  message: string,
): { line: number; column: number } | undefined {
  const match = /line (\d+), column (\d+)/.exec(message);
  return match
    ? { line: Number(match[1]), column: Number(match[2]) }
    : undefined;
}
