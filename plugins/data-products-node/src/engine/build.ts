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
import { BUILD_FUNCTION, nextName, RefreshStrategy } from './spec';
import {
  commentLiteral,
  escapeIdentifier,
  escapeLiteral,
  qualifiedName,
} from './sql';
import {
  alignConstraints,
  declaredConstraints,
  readTableConstraints,
  renameStagedConstraints,
  stageConstraints,
} from './constraints';
import { planQuality } from './quality';
import { hasChecks, PortChecks } from './qualitySpec';
import { PlanQualityCheck, PlanStatement } from './types';

/** Everything needed to (re)build one port. */
export interface BuildDefinition extends BuildSubject {
  schema: string;
  /** The product role, which owns the port and runs the build. */
  role: string;
  type: OutputPortType;
  readerRole: string;
  columns: Array<{ name: string; type: string; description?: string }>;
  description?: string;
  refreshStrategy: RefreshStrategy;
  /** Declared constraints and quality rules, checked before the new version is published. */
  checks?: PortChecks;
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

/**
 * A source-aligned port's SELECT: only the declared columns of its
 * operational table, each cast to its declared type.
 */
export function sourceSelect(
  columns: Array<{ name: string; type: string }>,
  source: { schema: string; table: string },
): string {
  const list = columns
    .map(c => {
      const name = escapeIdentifier(c.name);
      return `CAST(${name} AS ${c.type}) AS ${name}`;
    })
    .join(', ');
  return `SELECT ${list} FROM ${qualifiedName(source.schema, source.table)}`;
}

/** `name type, ...` sorted: a table's shape, whatever the column order. */
function shape(columns: Array<{ name: string; type: string }>): string {
  return columns
    .map(c => `${c.name} ${c.type}`)
    .sort()
    .join(', ');
}

/**
 * Plans the build of one port as a single step, choosing now, from
 * `pg_depend` and the port's refresh strategy, the way the new version
 * replaces the old one:
 *
 * - a table port with the `delete-insert` strategy whose columns stay the
 *   same: the model runs once with `LIMIT 0` beside it to check its columns,
 *   then the table's rows are replaced (`DELETE` + `INSERT ... SELECT`);
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
 * The step's rehearsal (the dry run) builds beside with `LIMIT 0` and stops
 * after the checks, leaving the live port and its locks alone.
 */
export async function planBuild(
  db: Knex | Knex.Transaction,
  def: BuildDefinition,
  options: {
    id: string;
    record: RecordBuild;
    /** The current relation is moved aside by an earlier step (a kept major version): build as if it were absent. */
    fresh?: boolean;
  },
): Promise<RunnableStep> {
  const isTable = def.type === 'postgres-table';
  const word = isTable ? 'TABLE' : 'VIEW';
  const target = qualifiedName(def.schema, def.port);
  const next = nextName(def.port);
  const staged = qualifiedName(def.schema, next);
  const role = def.role;

  const current = options.fresh
    ? undefined
    : await relationKind(db, def.schema, def.port);
  const dependents = current
    ? await dependentViews(db, def.schema, def.port)
    : [];
  const conflict = (reason: string) =>
    dependentViewsConflict(def.product, def.port, dependents, reason);
  if (dependents.length > 0 && current !== (isTable ? 'r' : 'v')) {
    throw conflict(`it cannot become a ${isTable ? 'table' : 'view'}`);
  }
  // What the table carries now, and whether the build checks its rows.
  const checked = hasChecks(def.checks);
  const constraintsNow =
    isTable && current === 'r'
      ? await readTableConstraints(db, def.schema, def.port)
      : { keys: [], notNull: [] };
  const constraintsWanted = declaredConstraints(
    def.port,
    isTable ? def.checks?.constraints ?? [] : [],
  );
  const sameColumns =
    isTable &&
    current === 'r' &&
    shape(await readColumns(db, def.schema, def.port)) === shape(def.columns);
  if (dependents.length > 0 && isTable && !sameColumns) {
    const now = shape(await readColumns(db, def.schema, def.port));
    throw conflict(
      `its columns cannot change (now ${now}; declared ${shape(def.columns)})`,
    );
  }

  const failures = new Map<PlanStatement, (error: unknown) => Error>();
  const as = (sql: string): PlanStatement => ({ sql, role });
  // The build function runs `before` + the port's SELECT + `after` as the
  // product role; its errors point at the model.
  const viaBuildFunction = (before: string, after = '\n'): PlanStatement => {
    const statement = as(
      `SELECT ${qualifiedName(def.schema, BUILD_FUNCTION)}(${escapeLiteral(
        `${before}${def.select}${after}`,
      )}) AS n`,
    );
    failures.set(statement, error => modelError(error, def, before.length));
    return statement;
  };
  const probe = viaBuildFunction(
    `CREATE TABLE ${staged} AS SELECT * FROM (\n`,
    '\n) AS model LIMIT 0',
  );
  const columnList = def.columns.map(c => escapeIdentifier(c.name)).join(', ');

  // The statements up to and including the checked one, then the rest.
  let built: PlanStatement[];
  let rehearsal: PlanStatement[];
  let replace: PlanStatement[];
  let rowCountFrom: number;
  let replacement: string;
  const deleteInsert =
    isTable && sameColumns && def.refreshStrategy === 'delete-insert';
  let constraintsStaged: string | undefined;
  let stagedKeys: Map<string, string> | undefined;
  if (
    deleteInsert &&
    !checked &&
    !constraintsNow.keys.length &&
    !constraintsNow.notNull.length
  ) {
    built = [probe];
    rehearsal = built;
    replace = [
      as(`DROP TABLE ${staged}`),
      as(`DELETE FROM ${target}`),
      viaBuildFunction(
        `INSERT INTO ${target} (${columnList}) SELECT ${columnList} FROM (\n`,
        '\n) AS model',
      ),
    ];
    rowCountFrom = built.length + replace.length - 1;
    replacement =
      "replace the table's rows in one transaction (DELETE, INSERT), which readers at every isolation level see at once";
  } else {
    const stage = viaBuildFunction(`CREATE ${word} ${staged} AS\n`);
    if (isTable) {
      built = [stage];
      rehearsal = [probe];
    } else {
      const count = `SELECT count(*)::bigint AS n FROM`;
      built = [stage, as(`${count} ${staged}`)];
      rehearsal = [
        stage,
        as(`${count} (SELECT * FROM ${staged} LIMIT 0) AS model`),
      ];
      for (const statement of [built[1], rehearsal[1]]) {
        failures.set(statement, failures.get(stage)!);
      }
    }
    rowCountFrom = built.length - 1;
    // A checked delete-insert build stages the new rows, so that they are
    // checked before the table's rows are replaced.
    if ((dependents.length > 0 || deleteInsert) && isTable) {
      replacement =
        dependents.length > 0
          ? `replace the table's rows in place (read by ${dependents.join(
              ', ',
            )})`
          : "replace the table's rows in one transaction (DELETE, INSERT), which readers at every isolation level see at once";
      const align = alignConstraints(
        def.schema,
        def.port,
        constraintsNow,
        constraintsWanted,
      );
      replace = [
        ...(align.drop ? [as(align.drop)] : []),
        as(
          dependents.length > 0
            ? `TRUNCATE ${target}`
            : `DELETE FROM ${target}`,
        ),
        as(
          `INSERT INTO ${target} (${columnList}) SELECT ${columnList} FROM ${staged}`,
        ),
        as(`DROP TABLE ${staged}`),
        ...(align.add ? [as(align.add)] : []),
      ];
    } else if (dependents.length > 0) {
      replacement = `replace the view in place (read by ${dependents.join(
        ', ',
      )})`;
      const replaceView = viaBuildFunction(
        `CREATE OR REPLACE VIEW ${target} AS\n`,
      );
      const modelFailure = failures.get(replaceView)!;
      failures.set(replaceView, error =>
        isPgError(error) && error.code === '42P16'
          ? conflict(`its columns cannot change this way (${error.message})`)
          : modelFailure(error),
      );
      replace = [as(`DROP VIEW ${staged}`), replaceView];
    } else {
      replacement = 'swap it in';
      replace = [
        ...(current
          ? [as(`DROP ${current === 'v' ? 'VIEW' : 'TABLE'} ${target}`)]
          : []),
        as(`ALTER ${word} ${staged} RENAME TO ${escapeIdentifier(def.port)}`),
      ];
      // The new table gets its constraints before the checks, which they
      // spare a sort; their names follow it through the swap.
      const stagedConstraints = declaredConstraints(
        next,
        isTable ? def.checks?.constraints ?? [] : [],
      );
      constraintsStaged = stageConstraints(def.schema, next, stagedConstraints);
      if (constraintsStaged) {
        stagedKeys = new Map(
          stagedConstraints.keys.map(k => [k.columns[0], k.name]),
        );
        replace.push(
          ...renameStagedConstraints(
            def.schema,
            def.port,
            stagedConstraints,
            constraintsWanted,
          ).map(as),
        );
      }
    }
  }

  // The columns are checked first, then the rows, before publishing them.
  const columnsCheckedAfter = built.length - 1;
  let qualityChecks: PlanQualityCheck[] = [];
  if (checked) {
    const quality = planQuality({
      product: def.product,
      port: def.port,
      role,
      relation: { schema: def.schema, name: next },
      columns: def.columns,
      checks: def.checks!,
      stagedKeys,
    });
    const shown = await db.raw(
      "SELECT current_setting('search_path') AS path, current_setting('work_mem') AS work_mem",
    );
    const restore = as(
      `SELECT set_config('search_path', ${escapeLiteral(
        shown.rows[0].path,
      )}, true), set_config('work_mem', ${escapeLiteral(
        shown.rows[0].work_mem,
      )}, true)`,
    );
    for (const statement of quality.statements) {
      failures.set(
        statement,
        error => quality.explainFailure(statement, error) ?? (error as Error),
      );
    }
    const stage = constraintsStaged ? [as(constraintsStaged)] : [];
    const offset = built.length + stage.length;
    qualityChecks = [
      {
        ...quality.check,
        after: offset + quality.check.after,
        statements: quality.check.statements.map(i => offset + i),
      },
    ];
    built = [...built, ...stage, ...quality.statements, restore];
    rehearsal = [...rehearsal, ...stage, ...quality.statements, restore];
  }
  const describe = [
    as(`GRANT SELECT ON ${target} TO ${escapeIdentifier(def.readerRole)}`),
    as(`COMMENT ON ${word} ${target} IS ${commentLiteral(def.description)}`),
    ...def.columns.map(column =>
      as(
        `COMMENT ON COLUMN ${target}.${escapeIdentifier(
          column.name,
        )} IS ${commentLiteral(column.description)}`,
      ),
    ),
  ];

  return {
    id: options.id,
    description: `${current ? 'Rebuild' : 'Build'} ${word.toLowerCase()} ${
      def.schema
    }.${def.port} ${
      def.source ? `from ${def.source}` : 'from its model'
    }, check it against the declared columns${
      checked ? ', its constraints and quality rules' : ''
    } and ${replacement}`,
    statements: [...built, ...replace, ...describe],
    checks: [
      {
        after: columnsCheckedAfter,
        description: `The columns of ${def.schema}.${next} are exactly the declared ones`,
        product: def.product,
        port: def.port,
        relation: { schema: def.schema, name: next },
        columns: def.columns.map(({ name, type }) => ({ name, type })),
      },
    ],
    ...(qualityChecks.length ? { qualityChecks } : {}),
    rehearsal,
    explainFailure: (error, statement) => failures.get(statement)?.(error),
    record: (trx, results: StatementResult[]) =>
      options.record(trx, Number(results[rowCountFrom].rows[0].n)),
  };
}
