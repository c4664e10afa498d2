import { Knex } from 'knex';
import type { WarehouseColumn } from '@dataproducts/plugin-data-products-common';

// Reads of PostgreSQL's system catalogs. Objects are looked up by name, never
// through to_regclass() or a ::regclass cast: those need USAGE on the schema,
// which an admin that is not a superuser does not have on products' schemas.

type Db = Knex | Knex.Transaction;

/** A `pg_class.relkind`: `r` for a table, `v` for a view. */
export type RelationKind = string;

const RELATION_OID = `SELECT c.oid FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ? AND c.relname = ?`;

async function anyRow(
  db: Db,
  sql: string,
  bindings: readonly Knex.RawBinding[],
): Promise<boolean> {
  const result = await db.raw(sql, bindings);
  return result.rows.length > 0;
}

/** True when the schema exists. */
export function schemaExists(db: Db, schema: string): Promise<boolean> {
  return anyRow(db, 'SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?', [
    schema,
  ]);
}

/** True when the role exists. */
export function roleExists(db: Db, role: string): Promise<boolean> {
  return anyRow(db, 'SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?', [
    role,
  ]);
}

/** True when `member` is a direct member of `role`. */
export function isDirectMember(
  db: Db,
  role: string,
  member: string,
): Promise<boolean> {
  return anyRow(
    db,
    `SELECT 1 FROM pg_catalog.pg_auth_members m
       JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
       JOIN pg_catalog.pg_roles u ON u.oid = m.member
      WHERE r.rolname = ? AND u.rolname = ?`,
    [role, member],
  );
}

/** True when `role` may read the table and use its schema. */
export async function canReadTable(
  db: Db,
  role: string,
  schema: string,
  table: string,
): Promise<boolean> {
  return (
    (await roleExists(db, role)) &&
    anyRow(
      db,
      `SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ? AND c.relname = ?
          AND pg_catalog.has_table_privilege(?, c.oid, 'SELECT')
          AND pg_catalog.has_schema_privilege(?, n.oid, 'USAGE')`,
      [schema, table, role, role],
    )
  );
}

/** The kind of a relation, or undefined when there is none of that name. */
export async function relationKind(
  db: Db,
  schema: string,
  name: string,
): Promise<RelationKind | undefined> {
  const result = await db.raw(
    `SELECT c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relname = ?`,
    [schema, name],
  );
  return result.rows[0]?.relkind;
}

/** The views (`schema.name`) whose definitions read a table or view, other than itself. */
export async function dependentViews(
  db: Db,
  schema: string,
  name: string,
): Promise<string[]> {
  const result = await db.raw(
    `SELECT DISTINCT n.nspname || '.' || c.relname AS name
       FROM pg_catalog.pg_depend d
       JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
       JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass
        AND d.refclassid = 'pg_catalog.pg_class'::regclass
        AND d.refobjid = (${RELATION_OID}) AND r.ev_class <> d.refobjid
      ORDER BY 1`,
    [schema, name],
  );
  return result.rows.map((r: { name: string }) => r.name);
}

/** The columns of a table or view as PostgreSQL reports them, in order. */
export async function readColumns(
  db: Db,
  schema: string,
  relation: string,
): Promise<WarehouseColumn[]> {
  const result = await db.raw(
    `SELECT a.attname AS name,
            pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable,
            pg_catalog.col_description(a.attrelid, a.attnum) AS description
       FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = (${RELATION_OID}) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [schema, relation],
  );
  return result.rows.map(
    (r: {
      name: string;
      type: string;
      nullable: boolean;
      description: string | null;
    }) => ({
      name: r.name,
      type: r.type,
      nullable: r.nullable,
      ...(r.description ? { description: r.description } : {}),
    }),
  );
}
