import {
  coreServices,
  createServiceFactory,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type { TestDatabases } from '@backstage/backend-test-utils';

type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

/**
 * The database service of a production backend in a test: each plugin gets
 * a fresh PostgreSQL database of its own (which `TestDatabases` drops after
 * the tests), so that several plugins can run their migrations side by side.
 * `knexOf(pluginId)` reaches a plugin's database, to check what it stored.
 */
export function databasePerPlugin(databases: TestDatabases) {
  const clients = new Map<string, Knex>();
  const factory = createServiceFactory({
    service: coreServices.database,
    deps: { pluginMetadata: coreServices.pluginMetadata },
    async factory({ pluginMetadata }) {
      const knex = await databases.init('POSTGRES_18');
      clients.set(pluginMetadata.getId(), knex);
      return { getClient: async () => knex };
    },
  });
  return Object.assign(factory, {
    knexOf(pluginId: string): Knex {
      const knex = clients.get(pluginId);
      if (!knex) {
        throw new Error(`The test backend has no database for ${pluginId}`);
      }
      return knex;
    },
  });
}
