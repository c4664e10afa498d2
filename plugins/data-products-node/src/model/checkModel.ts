import type { ParseResult, ScanToken, SelectStmt } from 'libpg-query';
import { checkModelTree, describeStatement } from './checkTree';
import { deparseVerified } from './deparse';
import { ModelRefusalContext, modelError } from './location';
import { TextOffsets } from './offsets';
import { parseSql, scanSql, syntaxErrorPosition } from './parser';
import {
  bindSourceReferences,
  ModelInput,
  ModelSourceReference,
  PhysicalRelation,
} from './references';
import { blankTemplateDelimiters, replaceSourceReferences } from './templates';
import { asNode, mapPositions } from './tree';

/** How to check one model: whose it is, what it may read and where that lives. */
export interface CheckModelOptions<TInput extends ModelInput = ModelInput> {
  /** The output port whose model this is, named in every error. */
  portName: string;
  /** The product's declared inputs; each `source()` must name one. */
  inputs: readonly TInput[];
  /** The relation to read for an input, e.g. `{ schema: 'sales_crm', name: 'customers' }`. */
  resolve(input: TInput): PhysicalRelation;
  /**
   * The relation `{{ this }}` reads: the port being built, for a quality
   * rule's query. Without it `{{ this }}` is refused.
   */
  self?: PhysicalRelation;
  /** What the SQL is, for messages, when it is not the port's model. */
  subject?: string;
}

/** A model that passed every check, ready to run. */
export interface CheckedModel<TInput extends ModelInput = ModelInput> {
  /** The model as written. */
  text: string;
  /**
   * The SQL to run: the checked tree turned back into SQL, inputs resolved
   * to their relations. No trailing `;`. Never the model text itself.
   */
  sql: string;
  /** Each `source()` reference, in order of appearance. */
  references: ModelSourceReference<TInput>[];
  /**
   * The checked SELECT's parse tree (libpg-query's JSON), inputs resolved.
   * Every position field is an offset in `text`, the model as written.
   */
  tree: SelectStmt;
}

/**
 * Checks model SQL with PostgreSQL's own parser and returns the SQL to run.
 * Resolves `{{ source('<product>', '<port>') }}` references on the tree,
 * accepts exactly one SELECT that reads only declared inputs and its own
 * WITH queries and calls only allowlisted built-in functions, and deparses
 * the checked tree (verified by parsing it again). Throws an `InputError`
 * naming the offence with its line and column in the model as written.
 *
 * Synchronous: await {@link loadModelParser} once before the first call.
 */
export function checkModel<TInput extends ModelInput>(
  model: string,
  options: CheckModelOptions<TInput>,
): CheckedModel<TInput> {
  const context: ModelRefusalContext = {
    portName: options.portName,
    text: model,
    subject: options.subject,
  };
  if (model.trim() === '') {
    throw modelError(context, 0, 'is empty', 'Write one SELECT statement');
  }
  const tokens = scanSql(model);
  if (!tokens) {
    parseOrRefuse(context, blankTemplateDelimiters(model));
    throw modelError(
      context,
      0,
      'could not be split into SQL tokens',
      'Check that every string, quoted name and comment is closed and that numbers are followed by a space or an operator',
    );
  }
  const prepared = replaceSourceReferences(context, tokens, {
    allowThis: Boolean(options.self),
  });
  const parsed = parseOrRefuse(context, prepared.sql);
  const offsets = new TextOffsets(prepared.sql);
  const select = onlySelect(context, parsed, offsets);
  mapPositions(select, position => offsets.fromByte(position));

  const { references, sourceRelations } = bindSourceReferences(
    context,
    select,
    prepared.placeholders,
    options.inputs,
    options.resolve,
    options.self,
  );
  checkModelTree(
    {
      ...context,
      sourceRelations,
      findKeywords: words =>
        findKeywords(tokens, words, new TextOffsets(model)),
    },
    select,
  );
  const sql = deparseVerified(context, select);
  return { text: model, sql, references, tree: select as SelectStmt };
}

function parseOrRefuse(context: ModelRefusalContext, sql: string): ParseResult {
  try {
    return parseSql(sql);
  } catch (error) {
    const position = syntaxErrorPosition(error);
    if (position === undefined) {
      throw error;
    }
    throw modelError(
      context,
      new TextOffsets(sql).fromCodePoint(position),
      `PostgreSQL cannot parse it: ${(error as Error).message}`,
      'Fix the SQL there; a model is one PostgreSQL SELECT statement',
    );
  }
}

function onlySelect(
  context: ModelRefusalContext,
  parsed: ParseResult,
  offsets: TextOffsets,
): Record<string, unknown> {
  const statements = parsed.stmts ?? [];
  if (statements.length === 0) {
    throw modelError(
      context,
      0,
      'holds no statement',
      'Write one SELECT statement',
    );
  }
  if (statements.length > 1) {
    throw modelError(
      context,
      offsets.fromByte(statements[1].stmt_location ?? 0),
      'holds more than one statement: another one starts here',
      "A model is one SELECT statement: remove everything after the first statement's ';'",
    );
  }
  const statement = asNode(statements[0].stmt);
  if (statement?.type !== 'SelectStmt') {
    throw modelError(
      context,
      offsets.fromByte(statements[0].stmt_location ?? 0),
      `is ${describeStatement(statement?.type ?? 'UnknownStmt')}, not a SELECT`,
      'A model is one SELECT statement (WITH, UNION and VALUES included); the engine creates and fills the port itself',
    );
  }
  return statement.fields;
}

function findKeywords(
  tokens: readonly ScanToken[],
  words: readonly string[],
  offsets: TextOffsets,
): number | undefined {
  const isWord = (token: ScanToken, word: string) =>
    token.text.toUpperCase() === word;
  for (let i = 0; i + words.length <= tokens.length; i++) {
    if (words.every((word, k) => isWord(tokens[i + k], word))) {
      return offsets.fromByte(tokens[i].start);
    }
  }
  return undefined;
}
