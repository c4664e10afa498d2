import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { TestDatabases } from '@backstage/backend-test-utils';

/**
 * The database service of a production backend in a test: each plugin gets
 * a fresh PostgreSQL database of its own (which `TestDatabases` drops after
 * the tests), so that several plugins can run their migrations side by side.
 */
export function databasePerPlugin(databases: TestDatabases) {
  return createServiceFactory({
    service: coreServices.database,
    deps: {},
    async factory() {
      const knex = await databases.init('POSTGRES_18');
      return { getClient: async () => knex };
    },
  });
}
