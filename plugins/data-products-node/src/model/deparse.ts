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
  const checked = { SelectStmt: select };
  let sql: string;
  let statements: unknown[];
  try {
    sql = deparseSync(checked as Node, { pretty: true });
    statements = (parseSql(sql).stmts ?? []).map(raw => raw.stmt);
  } catch {
    throw modelError(
      context,
      statementStart(context.text),
      'could not be turned back into SQL that PostgreSQL parses',
      'Write the query another way (a known case: subscripting an ARRAY[...] constructor); the engine runs only SQL it has verified',
    );
  }
  const difference = firstDifference(
    checked,
    statements.length === 1 ? statements[0] : undefined,
  );
  if (difference) {
    const location = locationOnPath(checked, difference);
    throw modelError(
      context,
      location >= 0 ? location : statementStart(context.text),
      `could not be turned back into SQL that means the same thing (the SQL generated for this part reads back differently at ${describePath(
        difference,
      )})`,
      'Write this part of the query another way; the engine runs only SQL whose meaning it has verified',
    );
  }
  return sql;
}
