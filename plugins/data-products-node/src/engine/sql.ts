import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import {
  MAX_IDENTIFIER_BYTES,
  validateIdentifier,
  validateSchemaName,
} from '@dataproducts/plugin-data-products-common';

/**
 * Throws an `InputError` naming what the value is and the value itself when it
 * is not a safe PostgreSQL identifier. Runs before any SQL that holds it.
 */
export function checkIdentifier(value: unknown, what: string): string {
  const problem = validateIdentifier(value);
  if (problem) {
    throw new InputError(
      `Invalid ${what} ${JSON.stringify(value)}: ${problem}`,
    );
  }
  return value as string;
}

/** Like {@link checkIdentifier}, with the extra rules for a product's schema. */
export function checkSchemaName(value: unknown, what: string): string {
  const problem = validateSchemaName(value);
  if (problem) {
    throw new InputError(
      `Invalid ${what} ${JSON.stringify(value)}: ${problem}`,
    );
  }
  return value as string;
}

// pg ships no type declarations: these are the two quoting functions it
// exports (pg/lib/utils.js), typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg: {
  escapeIdentifier(name: string): string;
  escapeLiteral(value: string): string;
} = require('pg');

/** `"name"`, quoted by pg's `escapeIdentifier`. */
export function escapeIdentifier(name: string): string {
  return pg.escapeIdentifier(name);
}

/** A string literal, quoted by pg's `escapeLiteral` (`E'...'` when it holds a backslash). */
export function escapeLiteral(value: string): string {
  return pg.escapeLiteral(value);
}

/** `"schema"."name"` */
export function qualifiedName(schema: string, name: string): string {
  return `${escapeIdentifier(schema)}.${escapeIdentifier(name)}`;
}

/** A literal for `COMMENT ON ... IS`: the text, or `NULL` to remove the comment. */
export function commentLiteral(text: string | undefined | null): string {
  return text ? escapeLiteral(text) : 'NULL';
}

/**
 * Builds a role or helper object name from parts, staying within PostgreSQL's
 * 63-byte limit: a name that would be longer is cut and given a short hash of
 * the full name, so it stays unique and deterministic.
 */
export function boundedName(full: string): string {
  if (Buffer.byteLength(full) <= MAX_IDENTIFIER_BYTES) {
    return full;
  }
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 10);
  return `${full.slice(0, MAX_IDENTIFIER_BYTES - 11)}_${hash}`;
}

/** A short stable hash of any JSON-able value. */
export function hashOf(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value))
    .digest('hex')
    .slice(0, 32);
}
