import { Knex } from 'knex';
import { ConflictError } from '@backstage/errors';
import { escapeIdentifier } from '../sql';
import { METADATA_SCHEMA } from './Metadata';
import { METADATA_MIGRATIONS, MetadataMigration } from './migrations';

/** The table in the metadata schema that records each applied migration. */
export const METADATA_VERSION_TABLE = 'schema_version';

/** The metadata schema's version before and after {@link migrateMetadata}. */
export interface MetadataVersions {
  from: number;
  to: number;
}

/**
 * Brings the metadata schema to the latest version: creates the schema and
 * its version table when missing, then applies, in order, every migration
 * newer than the recorded version, recording each. Runs in the caller's
 * transaction, which must hold the metadata lock so that replicas starting
 * together migrate once.
 */
export async function migrateMetadata(
  trx: Knex.Transaction,
  migrations: MetadataMigration[] = METADATA_MIGRATIONS,
): Promise<MetadataVersions> {
  const schema = escapeIdentifier(METADATA_SCHEMA);
  const versions = `${schema}.${escapeIdentifier(METADATA_VERSION_TABLE)}`;
  await trx.raw(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await trx.raw(`
    CREATE TABLE IF NOT EXISTS ${versions} (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const recorded = await trx.raw(
    `SELECT coalesce(max(version), 0)::int AS version FROM ${versions}`,
  );
  const from: number = recorded.rows[0].version;
  const latest = migrations.length
    ? migrations[migrations.length - 1].version
    : 0;
  if (from > latest) {
    throw new ConflictError(
      `The warehouse's ${METADATA_SCHEMA} schema is at version ${from}, but this portal knows versions up to ${latest}: ` +
        `a newer portal has migrated it. Upgrade this portal to the newer version.`,
    );
  }
  // Every migration not recorded yet, also one older than the recorded
  // version: two changes made side by side can be released in either order.
  const applied = await trx.raw(`SELECT version FROM ${versions}`);
  const done = new Set(applied.rows.map((r: { version: number }) => r.version));
  for (const migration of migrations.filter(m => !done.has(m.version))) {
    await migration.up(trx, schema);
    await trx(`${METADATA_SCHEMA}.${METADATA_VERSION_TABLE}`).insert({
      version: migration.version,
      name: migration.name,
    });
  }
  return { from, to: latest };
}
