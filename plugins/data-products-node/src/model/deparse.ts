import { deparseSync } from 'pgsql-deparser';
import type { Node } from 'libpg-query';
import { ModelRefusalContext, modelError } from './location';
import { parseSql, statementStart } from './parser';
import { firstDifference, locationOnPath, TreePath } from './tree';

function describePath(path: TreePath): string {
  return path.filter(step => typeof step === 'string').join('.');
}

/**
 * Turns a checked SELECT back into SQL, then parses that SQL again and
 * verifies it gives the same tree (positions aside). The SQL that runs is
 * then exactly what was checked, even where the deparser has a bug: a
 * difference is refused, pointing at the part of the model concerned.
 */
export function deparseVerified(
  context: ModelRefusalContext,
  select: Record<string, unknown>,
): string {
  const sql = deparseSync({ SelectStmt: select } as Node, { pretty: true });
  let difference: TreePath | undefined;
  let reparsed: unknown;
  try {
    const result = parseSql(sql);
    reparsed = result.stmts?.length === 1 ? result.stmts[0].stmt : undefined;
    difference = firstDifference({ SelectStmt: select }, reparsed);
  } catch {
    difference = [];
  }
  if (difference) {
    const location = locationOnPath({ SelectStmt: select }, difference);
    throw modelError(
      context,
      location >= 0 ? location : statementStart(context.text),
      `could not be turned back into SQL that means the same thing (the SQL generated for this part reads back differently${
        difference.length > 0 ? ` at ${describePath(difference)}` : ''
      })`,
      'Write this part of the query another way; the engine runs only SQL whose meaning it has verified',
    );
  }
  return sql;
}
