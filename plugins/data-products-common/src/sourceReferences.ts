/** One `{{ source('<product>', '<port>') }}` reference found in model SQL. */
export interface SourceReference {
  /** The product part exactly as written, e.g. `sales_crm_customers`. */
  productAsWritten: string;
  /**
   * The product part as an entity name: lower case, `_` replaced by `-`,
   * e.g. `sales-crm-customers`. Compare products with {@link productNamesMatch}.
   */
  product: string;
  /** The port name, e.g. `customers`. */
  port: string;
  /** The whole reference as written, braces included. */
  text: string;
  /** Offset of the first character of the reference (the first `{`). */
  start: number;
  /** Offset just after the last character of the reference (after the last `}`). */
  end: number;
}

/** Thrown when model SQL holds a malformed `source()` call or one that cannot be resolved. */
export class SourceReferenceError extends Error {
  /** Offset of the offending text in the model SQL. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = 'SourceReferenceError';
    this.offset = offset;
  }
}

// A Jinja expression block: `{{`, optional whitespace control `-`, content, optional `-`, `}}`.
const JINJA_EXPRESSION = /\{\{-?([\s\S]*?)-?\}\}/g;
// The only expression we accept: source('<product>', '<port>') with either quote style.
const SOURCE_CALL =
  /^\s*source\s*\(\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*,\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*,?\s*\)\s*$/;
const SOURCE_CALL_START = /^\s*source\s*\(/;

/**
 * Turns the product part of a `source()` reference into the form of an entity
 * name: lower case, with `_` replaced by `-`.
 */
export function normalizeProductName(name: string): string {
  return name.trim().toLocaleLowerCase('en-US').replace(/_/g, '-');
}

/**
 * True when two product names denote the same product, treating `_` and `-`
 * as the same character and ignoring case (as entity names do).
 */
export function productNamesMatch(a: string, b: string): boolean {
  return normalizeProductName(a) === normalizeProductName(b);
}

/**
 * Finds every `{{ source('<product>', '<port>') }}` reference in model SQL, in
 * order of appearance. Accepts the variants dbt accepts: single or double
 * quotes, any whitespace (or none) inside the braces and parentheses, and
 * Jinja whitespace control (`{{-` / `-}}`).
 *
 * Throws a {@link SourceReferenceError} for a `{{ source(...) }}` block that is
 * malformed (wrong number of arguments, unquoted or empty arguments), so a
 * typo never silently passes through to PostgreSQL. Other Jinja expressions
 * are rejected too: the model language is SQL plus `source()` only.
 */
export function parseSourceReferences(sql: string): SourceReference[] {
  const references: SourceReference[] = [];
  for (const match of sql.matchAll(JINJA_EXPRESSION)) {
    const text = match[0];
    const start = match.index ?? 0;
    const body = match[1];
    const call = SOURCE_CALL.exec(body);
    if (!call) {
      if (SOURCE_CALL_START.test(body)) {
        throw new SourceReferenceError(
          `Malformed source reference ${JSON.stringify(
            text,
          )} at offset ${start}: expected {{ source('<product>', '<port>') }} with two quoted, non-empty arguments`,
          start,
        );
      }
      throw new SourceReferenceError(
        `Unsupported template expression ${JSON.stringify(
          text,
        )} at offset ${start}: model SQL may only use {{ source('<product>', '<port>') }}`,
        start,
      );
    }
    const productAsWritten = (call[1] ?? call[2]).trim();
    const port = (call[3] ?? call[4]).trim();
    if (!productAsWritten || !port) {
      throw new SourceReferenceError(
        `Malformed source reference ${JSON.stringify(
          text,
        )} at offset ${start}: the product and the port must not be empty`,
        start,
      );
    }
    references.push({
      productAsWritten,
      product: normalizeProductName(productAsWritten),
      port,
      text,
      start,
      end: start + text.length,
    });
  }
  return references;
}

/**
 * Replaces every `source()` reference in model SQL with what `resolve` returns
 * for it, typically a quoted `"schema"."table"`. When `resolve` returns
 * `undefined` the reference is unknown and a {@link SourceReferenceError}
 * naming it is thrown.
 */
export function compileModel(
  sql: string,
  resolve: (reference: SourceReference) => string | undefined,
): string {
  const references = parseSourceReferences(sql);
  let compiled = '';
  let position = 0;
  for (const reference of references) {
    const replacement = resolve(reference);
    if (replacement === undefined) {
      throw new SourceReferenceError(
        `Unknown source reference source('${reference.productAsWritten}', '${reference.port}') at offset ${reference.start}: ` +
          `no declared input is port '${reference.port}' of data product '${reference.product}'. ` +
          `Add that output port to the product's spec.inputs or fix the reference.`,
        reference.start,
      );
    }
    compiled += sql.slice(position, reference.start) + replacement;
    position = reference.end;
  }
  return compiled + sql.slice(position);
}
