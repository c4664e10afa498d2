import {
  parseSourceReferences,
  SourceReference,
  SourceReferenceError,
} from '@dataproducts/plugin-data-products-common';
import type { ScanToken } from 'libpg-query';
import { ModelRefusalContext, modelError } from './location';
import { TextOffsets } from './offsets';

/** A `{{ source(...) }}` written where SQL expects a name, and what stands in for it. */
export interface TemplatePlaceholder {
  /** The reference, offsets in the model as written. */
  reference: SourceReference;
  /** The identifier standing in for the reference while PostgreSQL parses. */
  identifier: string;
  /** Offset of that identifier in the model text (one past the `{{`'s offset). */
  identifierOffset: number;
  /** True for `{{ this }}`: the port being built, in a quality rule's query. */
  self?: boolean;
}

/** Model text with its `source()` references replaced by identifiers of the same length. */
export interface PreparedModel {
  /** The text PostgreSQL parses: every offset is the same as in the model. */
  sql: string;
  placeholders: TemplatePlaceholder[];
}

const PLACEHOLDER_PREFIX = '__source_';

// `{{ this }}`, with Jinja's whitespace control: a quality rule's own port.
const THIS_REFERENCE = /^\{\{-?\s*this\s*-?\}\}$/;

/**
 * Finds the `{{ ... }}` expressions of a model on PostgreSQL's own tokens, so
 * braces inside string literals (`E'\''`, `$tag$ … $tag$`), quoted identifiers
 * and comments are never mistaken for one: those stay as written. Each
 * expression found must be a `source()` call; it is replaced by a placeholder
 * identifier padded with spaces to the same length, so every offset after it
 * is unchanged and errors point at the model as written.
 *
 * `tokens` are the model's tokens from PostgreSQL's lexer (UTF-8 offsets).
 */
export function replaceSourceReferences(
  context: ModelRefusalContext,
  tokens: ScanToken[],
  options: { allowThis?: boolean } = {},
): PreparedModel {
  const { text } = context;
  const offsets = new TextOffsets(text);
  const braces = tokens
    .filter(token => token.text === '{' || token.text === '}')
    .map(token => ({
      text: token.text,
      start: offsets.fromByte(token.start),
      end: offsets.fromByte(token.end),
    }));

  let sql = '';
  let copiedUpTo = 0;
  const placeholders: TemplatePlaceholder[] = [];
  for (let i = 0; i + 1 < braces.length; i++) {
    const opens =
      braces[i].text === '{' &&
      braces[i + 1].text === '{' &&
      braces[i].end === braces[i + 1].start;
    if (!opens) {
      continue;
    }
    const start = braces[i].start;
    let close = i + 2;
    while (
      close + 1 < braces.length &&
      !(
        braces[close].text === '}' &&
        braces[close + 1].text === '}' &&
        braces[close].end === braces[close + 1].start
      )
    ) {
      close++;
    }
    if (close + 1 >= braces.length) {
      throw modelError(
        context,
        start,
        "opens a template expression with '{{' that is never closed with '}}'",
        "Write the reference as {{ source('<product>', '<port>') }}",
      );
    }
    const end = braces[close + 1].end;
    const self = THIS_REFERENCE.test(text.slice(start, end));
    if (self && !options.allowThis) {
      throw modelError(
        context,
        start,
        '{{ this }} names the port a quality rule checks, and is only allowed in a quality rule\'s query',
        "Read the product's inputs with {{ source('<product>', '<port>') }}",
      );
    }
    const reference = self
      ? thisReference(text.slice(start, end), start, end)
      : readSourceReference(context, start, end);
    const identifier = `${PLACEHOLDER_PREFIX}${placeholders.length}`;
    placeholders.push({
      reference,
      identifier,
      identifierOffset: start + 1,
      ...(self ? { self } : {}),
    });
    sql += `${text.slice(copiedUpTo, start)} ${identifier.padEnd(
      end - start - 1,
    )}`;
    copiedUpTo = end;
    i = close + 1;
  }
  return { sql: sql + text.slice(copiedUpTo), placeholders };
}

/**
 * The model with its template delimiters (`{{`, `{{-`, `}}`, `-}}`) blanked
 * out, for a model PostgreSQL's lexer cannot split into tokens (an
 * unterminated string or comment, a malformed number): what is left reads
 * `FROM source('p', 'q') AS c`, which the grammar accepts, so parsing it
 * fails on the lexer's error, at its position.
 */
export function blankTemplateDelimiters(text: string): string {
  return text.replace(/\{\{-?|-?\}\}/g, delimiter =>
    ' '.repeat(delimiter.length),
  );
}

function thisReference(
  text: string,
  start: number,
  end: number,
): SourceReference {
  return { productAsWritten: '', product: '', port: '', text, start, end };
}

function readSourceReference(
  context: ModelRefusalContext,
  start: number,
  end: number,
): SourceReference {
  const expression = context.text.slice(start, end);
  let references: SourceReference[];
  try {
    references = parseSourceReferences(expression);
  } catch (error) {
    if (error instanceof SourceReferenceError) {
      throw modelError(
        context,
        start,
        `${JSON.stringify(expression)} is not a source() reference`,
        "Model SQL may only use {{ source('<product>', '<port>') }}, with two quoted, non-empty arguments",
      );
    }
    throw error;
  }
  if (references.length !== 1 || references[0].text !== expression) {
    throw modelError(
      context,
      start,
      `${JSON.stringify(expression)} is not a single source() reference`,
      "Write each reference as its own {{ source('<product>', '<port>') }}",
    );
  }
  return { ...references[0], start, end };
}
