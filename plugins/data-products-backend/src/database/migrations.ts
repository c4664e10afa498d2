import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

const MIGRATIONS_LOCK = 'data-products-backend migrations';

/**
 * Brings the plugin's tables up to date with the knex migrations shipped in
 * the package's `migrations` folder.
 */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  const directory = resolvePackagePath(
    '@dataproducts/plugin-data-products-backend',
    'migrations',
  );
  if (!String(knex.client.config.client).startsWith('pg')) {
    await knex.migrate.latest({ directory });
    return;
  }
  // Replicas starting together on a new database would race to create knex's
  // own migration tables. A transaction holds an advisory lock while the
  // migrations run on other connections of the pool, so they run one replica
  // at a time and the later ones find nothing left to do.
  await knex.transaction(async tx => {
    await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
      MIGRATIONS_LOCK,
    ]);
    await knex.migrate.latest({ directory });
  });
}
