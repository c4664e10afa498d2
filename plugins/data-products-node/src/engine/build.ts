import { Knex } from 'knex';
import type { OutputPortType } from '@dataproducts/plugin-data-products-common';
import { dependentViews, readColumns, relationKind } from './catalog';
import {
  BuildSubject,
  dependentViewsConflict,
  isPgError,
  modelError,
} from './errors';
import { RunnableStep, StatementResult } from './runner';
import { BUILD_FUNCTION, nextName } from './spec';
import {
  commentLiteral,
  escapeIdentifier,
  escapeLiteral,
  qualifiedName,
} from './sql';
import { PlanStatement } from './types';

/** Everything needed to (re)build one port. */
export interface BuildDefinition extends BuildSubject {
  schema: string;
  /** The product role, which owns the port and runs the build. */
  role: string;
  type: OutputPortType;
  readerRole: string;
  columns: Array<{ name: string; type: string; description?: string }>;
  description?: string;
}

/** What a build step records once it ran. */
export type RecordBuild = (
  trx: Knex.Transaction,
  rowCount: number,
) => Promise<void>;

/** The id of the step that builds a port. */
export function buildStepId(port: string): string {
  return `build:${port}`;
}

/** `name type, ...` sorted: a table's shape, whatever the column order. */
function shape(columns: Array<{ name: string; type: string }>): string {
  return columns
    .map(c => `${c.name} ${c.type}`)
    .sort()
    .join(', ');
}

/** The statement that has the build function run `statement` as the product role. */
function throughBuildFunction(def: BuildDefinition, statement: string): string {
  return `SELECT ${qualifiedName(def.schema, BUILD_FUNCTION)}(${escapeLiteral(
    statement,
  )}) AS n`;
}

/**
 * Plans the build of one port as a single step, choosing now, from
 * `pg_depend`, the way the new version replaces the old one:
 *
 * - no other product's view reads the port: build it beside as
 *   `_dp_next_<port>`, check its columns, drop the old object and rename the
 *   new one into place;
 * - views of other products read a table port: build beside, check, then
 *   replace the table's rows (`TRUNCATE` + `INSERT`), so those views survive;
 * - views of other products read a view port: build beside, check, then
 *   `CREATE OR REPLACE VIEW` in place.
 *
 * A change those views could not survive (table to view or back, other
 * columns for a table) is refused here with a `ConflictError` naming them.
 */
export async function planBuild(
  db: Knex | Knex.Transaction,
  def: BuildDefinition,
  options: { id: string; record: RecordBuild },
): Promise<RunnableStep> {
  const isTable = def.type === 'postgres-table';
  const word = isTable ? 'TABLE' : 'VIEW';
  const target = qualifiedName(def.schema, def.port);
  const next = nextName(def.port);
  const staged = qualifiedName(def.schema, next);
  const role = def.role;

  const current = await relationKind(db, def.schema, def.port);
  const dependents = current
    ? await dependentViews(db, def.schema, def.port)
    : [];
  const conflict = (reason: string) =>
    dependentViewsConflict(def.product, def.port, dependents, reason);
  if (dependents.length > 0 && current !== (isTable ? 'r' : 'v')) {
    throw conflict(`it cannot become a ${isTable ? 'table' : 'view'}`);
  }
  if (dependents.length > 0 && isTable) {
    const now = shape(await readColumns(db, def.schema, def.port));
    const declared = shape(def.columns);
    if (now !== declared) {
      throw conflict(
        `its columns cannot change (now ${now}; declared ${declared})`,
      );
    }
  }

  const failures = new Map<number, (error: unknown) => Error>();
  const statements: PlanStatement[] = [];
  const add = (sql: string, failure?: (error: unknown) => Error) => {
    if (failure) {
      failures.set(statements.length, failure);
    }
    statements.push({ sql, role });
  };

  const stage = `CREATE ${word} ${staged} AS\n`;
  const stageFailure = (error: unknown) => modelError(error, def, stage.length);
  add(throughBuildFunction(def, `${stage}${def.select}\n`), stageFailure);
  if (!isTable) {
    add(`SELECT count(*)::bigint AS n FROM ${staged}`, stageFailure);
  }
  const rowCountFrom = statements.length - 1;
  const checks = [
    {
      after: rowCountFrom,
      description: `The columns of ${def.schema}.${next} are exactly the declared ones`,
      product: def.product,
      port: def.port,
      relation: { schema: def.schema, name: next },
      columns: def.columns.map(({ name, type }) => ({ name, type })),
    },
  ];

  let replacement: string;
  if (dependents.length > 0 && isTable) {
    replacement = `replace the table's rows in place (read by ${dependents.join(
      ', ',
    )})`;
    const columns = def.columns.map(c => escapeIdentifier(c.name)).join(', ');
    add(`TRUNCATE ${target}`);
    add(`INSERT INTO ${target} (${columns}) SELECT ${columns} FROM ${staged}`);
    add(`DROP TABLE ${staged}`);
  } else if (dependents.length > 0) {
    replacement = `replace the view in place (read by ${dependents.join(
      ', ',
    )})`;
    const replace = `CREATE OR REPLACE VIEW ${target} AS\n`;
    add(`DROP VIEW ${staged}`);
    add(throughBuildFunction(def, `${replace}${def.select}\n`), error =>
      isPgError(error) && error.code === '42P16'
        ? conflict(`its columns cannot change this way (${error.message})`)
        : modelError(error, def, replace.length),
    );
  } else {
    replacement = 'swap it in';
    if (current) {
      add(`DROP ${current === 'v' ? 'VIEW' : 'TABLE'} ${target}`);
    }
    add(`ALTER ${word} ${staged} RENAME TO ${escapeIdentifier(def.port)}`);
  }
  add(`GRANT SELECT ON ${target} TO ${escapeIdentifier(def.readerRole)}`);
  add(`COMMENT ON ${word} ${target} IS ${commentLiteral(def.description)}`);
  for (const column of def.columns) {
    add(
      `COMMENT ON COLUMN ${target}.${escapeIdentifier(
        column.name,
      )} IS ${commentLiteral(column.description)}`,
    );
  }

  return {
    id: options.id,
    description: `${current ? 'Rebuild' : 'Build'} ${word.toLowerCase()} ${
      def.schema
    }.${def.port} ${
      def.source ? `from ${def.source}` : 'from its model'
    }, check it against the declared columns and ${replacement}`,
    statements,
    checks,
    explainFailure: (error, index) => failures.get(index)?.(error),
    record: (trx, results: StatementResult[]) =>
      options.record(trx, Number(results[rowCountFrom].rows[0].n)),
  };
}
