import { Knex } from 'knex';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { isPgError } from './errors';
import { migrateMetadata } from './metadata';
import { escapeIdentifier } from './sql';

/** The oldest PostgreSQL major version the engine supports. */
export const MINIMUM_POSTGRES_MAJOR = 15;

/**
 * Refuses a server older than {@link MINIMUM_POSTGRES_MAJOR}, naming the
 * version found. `versionNum` is `server_version_num` (e.g. 150004).
 */
export function checkServerVersion(versionNum: number, version: string) {
  if (versionNum < MINIMUM_POSTGRES_MAJOR * 10000) {
    throw new ServiceUnavailableError(
      `The data product warehouse runs on PostgreSQL ${version}, but needs PostgreSQL ${MINIMUM_POSTGRES_MAJOR} or newer: upgrade the server or configure dataProducts.warehouse.connection to a newer one.`,
    );
  }
}

/**
 * Creates the engine role when missing (NOLOGIN NOINHERIT, granted to the
 * engine's user), and refuses a role of that name that could log in or
 * inherit: through it the engine's user would hold every product's rights.
 */
export async function ensureEngineRole(
  trx: Knex.Transaction,
  engineRole: string,
): Promise<void> {
  const role = escapeIdentifier(engineRole);
  const found = await trx.raw(
    'SELECT rolinherit, rolcanlogin FROM pg_catalog.pg_roles WHERE rolname = ?',
    [engineRole],
  );
  const existing = found.rows[0];
  if (!existing) {
    await trx.raw(`CREATE ROLE ${role} NOLOGIN NOINHERIT`);
    await trx.raw(`GRANT ${role} TO CURRENT_USER`);
    return;
  }
  if (existing.rolinherit || existing.rolcanlogin) {
    throw new ConflictError(
      `Role '${engineRole}' exists but is not NOLOGIN NOINHERIT, so the portal cannot act as product roles through it without holding their rights. ` +
        `Run ALTER ROLE ${role} NOLOGIN NOINHERIT, or configure another dataProducts.warehouse.rolePrefix.`,
    );
  }
  const member = await trx.raw(
    "SELECT pg_catalog.pg_has_role(CURRENT_USER, ?, 'MEMBER') AS member",
    [engineRole],
  );
  if (!member.rows[0].member) {
    try {
      await trx.raw(`GRANT ${role} TO CURRENT_USER`);
    } catch (error) {
      if (!isPgError(error) || error.code !== '42501') {
        throw error;
      }
      throw new ConflictError(
        `Role '${engineRole}' exists, but the warehouse user is not a member of it and may not make itself one. ` +
          `As a superuser or the role's creator, run GRANT ${role} TO <the warehouse user>; or configure another dataProducts.warehouse.rolePrefix.`,
      );
    }
  }
}

/**
 * What `ready()` does once per engine: checks the server version, then, under
 * an advisory lock so that replicas starting together do it once, migrates
 * the metadata schema and ensures the engine role.
 */
export async function setUpWarehouse(
  knex: Knex,
  engineRole: string,
): Promise<void> {
  const server = await knex.raw(
    "SELECT current_setting('server_version_num')::int AS num, current_setting('server_version') AS version",
  );
  checkServerVersion(server.rows[0].num, server.rows[0].version);
  await knex.transaction(async trx => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
      'dataproducts:metadata',
    ]);
    await migrateMetadata(trx);
    await ensureEngineRole(trx, engineRole);
  });
}
