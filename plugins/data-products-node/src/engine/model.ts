import { InputError } from '@backstage/errors';
import {
  parseSourceReferences,
  productNamesMatch,
  SourceReference,
  SourceReferenceError,
} from '@dataproducts/plugin-data-products-common';
import { ResolvedInput } from './types';

/** A `source()` reference matched to one of the product's declared inputs. */
export interface MatchedReference {
  reference: SourceReference;
  input: ResolvedInput;
}

function describeInputs(inputs: ResolvedInput[]): string {
  if (inputs.length === 0) {
    return 'the product declares no inputs';
  }
  return `declared inputs: ${inputs
    .map(i => `source('${i.product}', '${i.port}') (${i.ref})`)
    .join(', ')}`;
}

/**
 * Finds the `source()` references of a model and matches each to a declared
 * input. Fails before any SQL runs, naming an unknown reference and listing
 * the declared inputs.
 */
export function matchModelReferences(
  portName: string,
  model: string,
  inputs: ResolvedInput[],
): MatchedReference[] {
  let references: SourceReference[];
  try {
    references = parseSourceReferences(model);
  } catch (error) {
    if (error instanceof SourceReferenceError) {
      throw new InputError(
        `Model SQL of output port '${portName}': ${error.message}`,
      );
    }
    throw error;
  }
  return references.map(reference => {
    const input = inputs.find(
      i =>
        productNamesMatch(i.product, reference.product) &&
        i.port === reference.port,
    );
    if (!input) {
      throw new InputError(
        `Model SQL of output port '${portName}' reads ${reference.text.trim()}, ` +
          `but port '${reference.port}' of data product '${reference.product}' is not among the product's declared inputs ` +
          `(${describeInputs(
            inputs,
          )}). Add it to spec.inputs or fix the reference.`,
      );
    }
    return { reference, input };
  });
}

/**
 * Refuses model SQL that holds more than one statement: a `;` outside string
 * literals, quoted identifiers, dollar quotes and comments. One trailing `;`
 * is allowed and removed.
 */
export function singleStatement(portName: string, model: string): string {
  const n = model.length;
  let i = 0;
  let semicolon = -1;
  const refuse = (offset: number) =>
    new InputError(
      `Model SQL of output port '${portName}' must be a single SELECT statement, but more SQL follows the ';' at offset ${semicolon} (offset ${offset})`,
    );
  while (i < n) {
    const c = model[i];
    const next = model[i + 1];
    if (c === '-' && next === '-') {
      while (i < n && model[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (model[i] === '/' && model[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (model[i] === '*' && model[i + 1] === '/') {
          depth--;
          i += 2;
        } else {
          i++;
        }
      }
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (semicolon >= 0) {
      throw refuse(i);
    }
    if (c === "'" || c === '"') {
      i++;
      while (i < n && !(model[i] === c && model[i + 1] !== c)) {
        i += model[i] === c ? 2 : 1;
      }
      i++;
    } else if (c === '$') {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(
        model.slice(i, i + 70),
      );
      if (tag) {
        const close = model.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
      } else {
        i++;
      }
    } else if (c === ';') {
      semicolon = i;
      i++;
    } else {
      i++;
    }
  }
  return semicolon >= 0 ? model.slice(0, semicolon) : model;
}

/** Model SQL compiled to physical names, with what is needed to map errors back. */
export interface CompiledModel {
  /** The model as written (without a trailing `;`). */
  text: string;
  /** The SELECT with every `source()` replaced by a quoted `"schema"."port"`. */
  sql: string;
  /** Each replacement: where it is in `text` and where in `sql`. */
  replacements: Array<{
    start: number;
    end: number;
    compiledStart: number;
    compiledEnd: number;
  }>;
}

/** Replaces each matched reference with the physical name `resolve` gives. */
export function compileMatched(
  text: string,
  matched: MatchedReference[],
  resolve: (input: ResolvedInput) => string,
): CompiledModel {
  let sql = '';
  let position = 0;
  const replacements: CompiledModel['replacements'] = [];
  for (const { reference, input } of matched) {
    sql += text.slice(position, reference.start);
    const physical = resolve(input);
    replacements.push({
      start: reference.start,
      end: reference.end,
      compiledStart: sql.length,
      compiledEnd: sql.length + physical.length,
    });
    sql += physical;
    position = reference.end;
  }
  return { text, sql: sql + text.slice(position), replacements };
}

/** Maps an offset in the compiled SQL back onto the model text. */
export function originalOffset(model: CompiledModel, offset: number): number {
  let delta = 0;
  for (const r of model.replacements) {
    if (offset < r.compiledStart) {
      break;
    }
    if (offset < r.compiledEnd) {
      return r.start;
    }
    delta = r.end - r.compiledEnd;
  }
  return offset + delta;
}

/** `line N, column M` and the line with a caret under the offset. */
export function pointAt(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', offset);
  const lineText = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const column = offset - lineStart + 1;
  return `line ${line}, column ${column}:\n  ${lineText}\n  ${' '.repeat(
    column - 1,
  )}^`;
}
