import { randomBytes } from 'node:crypto';
import { Knex } from 'knex';
import { TestDatabases } from '@backstage/backend-test-utils';
import { seedSourceData } from '@dataproducts/demo-data';
import { BuildLimits } from '../engine/limits';
import { escapeIdentifier } from '../engine/sql';
import { WarehouseEngine } from '../engine/WarehouseEngine';
import { warehouseTestDatabaseId } from './database';

/** A role prefix no other test uses: roles are global to the server. */
export function uniqueRolePrefix(): string {
  return `t${randomBytes(4).toString('hex')}_`;
}

/** Drops every role with the prefix (and what it owns in this database). */
export async function dropRoles(knex: Knex, prefix: string): Promise<void> {
  const { rows } = await knex.raw(
    'SELECT rolname FROM pg_catalog.pg_roles WHERE starts_with(rolname, ?) ORDER BY rolname DESC',
    [prefix],
  );
  if (rows.length === 0) {
    return;
  }
  const names = rows.map(({ rolname }: { rolname: string }) =>
    escapeIdentifier(rolname),
  );
  await knex.raw(`DROP OWNED BY ${names.join(', ')} CASCADE`);
  for (const name of names) {
    await knex.raw(`DROP ROLE ${name}`);
  }
}

/** A test warehouse: its database, a ready engine and how to clean up. */
export interface TestWarehouse {
  knex: Knex;
  engine: WarehouseEngine;
  prefix: string;
  /** Drops the roles the test made (the database is dropped by `TestDatabases`). */
  cleanup(): Promise<void>;
}

/**
 * A fresh warehouse database (on the server `warehouseTestDatabaseId()`
 * names) with seeded sources, and a ready engine with a unique role prefix
 * (and the given build limits, the defaults otherwise).
 */
export async function createTestWarehouse(
  databases: TestDatabases,
  options: { customers?: number; limits?: Partial<BuildLimits> } = {},
): Promise<TestWarehouse> {
  const knex = await databases.init(warehouseTestDatabaseId());
  const prefix = uniqueRolePrefix();
  await seedSourceData(knex, { customers: options.customers ?? 500 });
  const engine = new WarehouseEngine({
    knex,
    rolePrefix: prefix,
    limits: options.limits,
  });
  await engine.ready();
  return { knex, engine, prefix, cleanup: () => dropRoles(knex, prefix) };
}

/** A snapshot of the system catalogs a failed run must leave unchanged. */
export async function catalogSnapshot(knex: Knex, prefix: string) {
  const namespaces = await knex.raw(
    `SELECT nspname FROM pg_catalog.pg_namespace ORDER BY nspname`,
  );
  const classes = await knex.raw(
    `SELECT n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1, 2`,
  );
  const roles = await knex.raw(
    `SELECT rolname FROM pg_catalog.pg_roles WHERE starts_with(rolname, ?) ORDER BY 1`,
    [prefix],
  );
  const members = await knex.raw(
    `SELECT r.rolname AS role, u.rolname AS member FROM pg_catalog.pg_auth_members m
       JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member
      WHERE starts_with(r.rolname, ?) ORDER BY 1, 2`,
    [prefix],
  );
  return {
    namespaces: namespaces.rows,
    classes: classes.rows,
    roles: roles.rows,
    members: members.rows,
  };
}
