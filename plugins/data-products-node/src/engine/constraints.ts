import { Knex } from 'knex';
import { ColumnConstraintSpec } from './qualitySpec';
import { boundedName, escapeIdentifier, qualifiedName } from './sql';

/** A PRIMARY KEY or UNIQUE constraint of a table, as `pg_constraint` holds it. */
export interface TableConstraint {
  name: string;
  kind: 'primaryKey' | 'unique';
  columns: string[];
}

/** What a built table carries: its key and unique constraints and NOT NULL columns. */
export interface TableConstraints {
  keys: TableConstraint[];
  notNull: string[];
}

/**
 * The name of the constraint a declared column gets: PostgreSQL's own
 * default names (`<table>_pkey`, `<table>_<column>_key`), bounded to 63
 * bytes, so they are the same on every build and easy to recognise.
 */
export function constraintName(
  port: string,
  kind: TableConstraint['kind'],
  column: string,
): string {
  return boundedName(
    kind === 'primaryKey' ? `${port}_pkey` : `${port}_${column}_key`,
  );
}

/** The constraints the declaration asks a port's table to carry. */
export function declaredConstraints(
  port: string,
  declared: ColumnConstraintSpec[],
): TableConstraints {
  const keys: TableConstraint[] = [];
  for (const c of declared) {
    if (c.primaryKey) {
      keys.push({
        name: constraintName(port, 'primaryKey', c.column),
        kind: 'primaryKey',
        columns: [c.column],
      });
    } else if (c.unique) {
      keys.push({
        name: constraintName(port, 'unique', c.column),
        kind: 'unique',
        columns: [c.column],
      });
    }
  }
  return {
    keys,
    notNull: declared
      .filter(c => c.required || c.primaryKey)
      .map(c => c.column),
  };
}

/** The key and unique constraints and NOT NULL columns a table has now. */
export async function readTableConstraints(
  db: Knex | Knex.Transaction,
  schema: string,
  table: string,
): Promise<TableConstraints> {
  const keys = await db.raw(
    `SELECT con.conname AS name, con.contype AS kind,
            ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY k(attnum, i)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                   ORDER BY k.i) AS columns
       FROM pg_catalog.pg_constraint con
       JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relname = ? AND con.contype IN ('p', 'u')
      ORDER BY con.conname`,
    [schema, table],
  );
  const notNull = await db.raw(
    `SELECT a.attname AS name FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull
      ORDER BY a.attnum`,
    [schema, table],
  );
  return {
    keys: keys.rows.map(
      (r: { name: string; kind: string; columns: string[] }) => ({
        name: r.name,
        kind: r.kind === 'p' ? 'primaryKey' : 'unique',
        columns: r.columns,
      }),
    ),
    notNull: notNull.rows.map((r: { name: string }) => r.name),
  };
}

function sameKey(a: TableConstraint, b: TableConstraint): boolean {
  return (
    a.name === b.name &&
    a.kind === b.kind &&
    a.columns.join(',') === b.columns.join(',')
  );
}

/**
 * The `ALTER TABLE`s that make a table carry exactly the wanted
 * constraints: `drop` removes the keys and NOT NULLs that are no longer
 * declared (before new rows go in), `add` adds the missing ones (which
 * checks every row, as the build's checks have already counted). Each is
 * one statement, so PostgreSQL checks NOT NULL in one pass; undefined when
 * there is nothing to do. Keys and NOT NULL change no column, so views that
 * read the table are unaffected.
 */
export function alignConstraints(
  schema: string,
  table: string,
  now: TableConstraints,
  wanted: TableConstraints,
): { drop?: string; add?: string } {
  const column = (name: string) => escapeIdentifier(name);
  const alter = (actions: string[]) =>
    actions.length
      ? `ALTER TABLE ${qualifiedName(schema, table)} ${actions.join(', ')}`
      : undefined;
  const drop = alter([
    ...now.keys
      .filter(k => !wanted.keys.some(w => sameKey(k, w)))
      .map(k => `DROP CONSTRAINT ${escapeIdentifier(k.name)}`),
    ...now.notNull
      .filter(c => !wanted.notNull.includes(c))
      .map(c => `ALTER COLUMN ${column(c)} DROP NOT NULL`),
  ]);
  const add = alter([
    ...wanted.notNull
      .filter(c => !now.notNull.includes(c))
      .map(c => `ALTER COLUMN ${column(c)} SET NOT NULL`),
    ...wanted.keys
      .filter(w => !now.keys.some(k => sameKey(k, w)))
      .map(
        w =>
          `ADD CONSTRAINT ${escapeIdentifier(w.name)} ${
            w.kind === 'primaryKey' ? 'PRIMARY KEY' : 'UNIQUE'
          } (${w.columns.map(column).join(', ')})`,
      ),
  ]);
  return { ...(drop ? { drop } : {}), ...(add ? { add } : {}) };
}

/**
 * For a table that is swapped in: gives the new table its declared keys and
 * NOT NULLs before the checks run, under names of the staged table (the old
 * table still holds the final names), in one `DO` block that takes a
 * violation for an answer rather than an error. Building the key's index
 * is what proves a column has no duplicates, so the checks need not sort it
 * a second time (see `planQuality`); when a violation stops it, nothing of
 * it stays and the checks count what is wrong. Undefined when nothing is
 * declared.
 */
export function stageConstraints(
  schema: string,
  staged: string,
  wanted: TableConstraints,
): string | undefined {
  const { add } = alignConstraints(
    schema,
    staged,
    { keys: [], notNull: [] },
    wanted,
  );
  return add
    ? `DO $dp$ BEGIN ${add}; EXCEPTION WHEN not_null_violation OR unique_violation THEN NULL; END $dp$`
    : undefined;
}

/** After the swap: the staged table's keys renamed to the port's own names. */
export function renameStagedConstraints(
  schema: string,
  port: string,
  staged: TableConstraints,
  wanted: TableConstraints,
): string[] {
  return staged.keys.map(
    (key, i) =>
      `ALTER TABLE ${qualifiedName(
        schema,
        port,
      )} RENAME CONSTRAINT ${escapeIdentifier(key.name)} TO ${escapeIdentifier(
        wanted.keys[i].name,
      )}`,
  );
}
