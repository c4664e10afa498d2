import { InputError } from '@backstage/errors';

/** A position in model SQL as its author wrote it. */
export interface ModelLocation {
  /** Offset in the model text (UTF-16 code units, as JavaScript strings count). */
  offset: number;
  /** 1-based line number. */
  line: number;
  /** 1-based column, counted in characters. */
  column: number;
  /** The line, and under it a caret pointing at the column. */
  excerpt: string;
}

// Lines longer than this are shown as a window around the caret.
const EXCERPT_WIDTH = 100;

/** Finds the line and column of an offset in the model text, with an excerpt and a caret. */
export function locateInModel(text: string, offset: number): ModelLocation {
  const at = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const newline = text.indexOf('\n', at);
  const lineText = text
    .slice(lineStart, newline < 0 ? undefined : newline)
    .replace(/\r$/, '');
  const before = Array.from(text.slice(lineStart, at));
  const line = text.slice(0, lineStart).split('\n').length;
  const column = before.length + 1;

  const characters = Array.from(lineText);
  let shown = characters;
  let caretAt = before.length;
  if (characters.length > EXCERPT_WIDTH) {
    const from = Math.max(0, caretAt - EXCERPT_WIDTH / 2);
    const to = Math.min(characters.length, from + EXCERPT_WIDTH);
    shown = [
      ...(from > 0 ? ['…'] : []),
      ...characters.slice(from, to),
      ...(to < characters.length ? ['…'] : []),
    ];
    caretAt = caretAt - from + (from > 0 ? 1 : 0);
  }
  // Keep tabs under tabs so the caret lines up however tabs are rendered.
  const padding = shown
    .slice(0, caretAt)
    .map(c => (c === '\t' ? '\t' : ' '))
    .join('');
  return {
    offset: at,
    line,
    column,
    excerpt: `  ${shown.join('')}\n  ${padding}^`,
  };
}

/** What every refusal of one model shares: whose model it is and its text. */
export interface ModelRefusalContext {
  /** The output port whose model is checked, named in every message. */
  portName: string;
  /** What the SQL is, when not a port's model: `Quality rule 'x' (spec.quality[0].query) of output port 'p'`. */
  subject?: string;
  /** The model as written. */
  text: string;
}

/**
 * An `InputError` about model SQL: names the port, says what is wrong and
 * what to do, and points at the line and column of the model as written.
 */
export function modelError(
  context: ModelRefusalContext,
  offset: number,
  problem: string,
  remedy: string,
): InputError {
  const location = locateInModel(context.text, offset);
  return new InputError(
    `${
      context.subject ?? `Model SQL of output port '${context.portName}'`
    }, line ${location.line}, column ${location.column}: ` +
      `${problem}. ${remedy}\n${location.excerpt}`,
  );
}
