import {
  loadModule,
  parseSync,
  scanSync,
  type ParseResult,
  type ScanToken,
} from 'libpg-query';
import { TextOffsets } from './offsets';

let loading: Promise<void> | undefined;
let loaded = false;

/**
 * Loads PostgreSQL's parser (a WebAssembly build of PostgreSQL 18's own
 * grammar). Call it once, e.g. at backend start-up; every model check after
 * it is synchronous. Calling it again returns the same promise.
 */
export function loadModelParser(): Promise<void> {
  if (!loading) {
    loading = loadModule().then(() => {
      loaded = true;
    });
  }
  return loading;
}

function ensureLoaded() {
  if (!loaded) {
    throw new Error(
      'The model SQL parser is not loaded yet: await loadModelParser() once before checking models',
    );
  }
}

/** Parses SQL with PostgreSQL's grammar. Throws libpg-query's `SqlError` on a syntax error. */
export function parseSql(sql: string): ParseResult {
  ensureLoaded();
  return parseSync(sql);
}

/**
 * Splits SQL into PostgreSQL's tokens (comments included), or returns
 * `undefined` when the lexer fails (an unterminated string, quoted
 * identifier or comment): libpg-query cannot report where, so callers parse
 * the text to get PostgreSQL's own message and position.
 */
export function scanSql(sql: string): ScanToken[] | undefined {
  ensureLoaded();
  try {
    return scanSync(sql).tokens;
  } catch {
    return undefined;
  }
}

/**
 * Where the statement in `sql` starts: the offset of its first token that is
 * not a comment.
 */
export function statementStart(sql: string): number {
  const first = scanSql(sql)?.find(
    token =>
      token.tokenName !== 'SQL_COMMENT' && token.tokenName !== 'C_COMMENT',
  );
  return first
    ? new TextOffsets(sql).fromByte(first.start)
    : sql.length - sql.trimStart().length;
}

/** The 0-based position (in code points) of a syntax error, when PostgreSQL reported one. */
export function syntaxErrorPosition(error: unknown): number | undefined {
  const details = (error as { sqlDetails?: { cursorPosition?: number } })
    ?.sqlDetails;
  return typeof details?.cursorPosition === 'number'
    ? details.cursorPosition
    : undefined;
}
