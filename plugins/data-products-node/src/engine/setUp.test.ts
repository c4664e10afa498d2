import { ServiceUnavailableError } from '@backstage/errors';
import {
  createWarehouseTestDatabases,
  dropRoles,
  uniqueRolePrefix,
  warehouseTestDatabaseId,
} from '../testUtils';
import { METADATA_MIGRATIONS } from './metadata';
import { checkServerVersion } from './setUp';
import { RoleNames } from './spec';
import { WarehouseEngine } from './WarehouseEngine';

jest.setTimeout(60_000);

describe('warehouse set-up', () => {
  const databases = createWarehouseTestDatabases();

  it('refuses a server older than PostgreSQL 15, naming both versions', () => {
    expect(() => checkServerVersion(140011, '14.11')).toThrow(
      new ServiceUnavailableError(
        'The data product warehouse runs on PostgreSQL 14.11, but needs PostgreSQL 15 or newer: upgrade the server or configure dataProducts.warehouse.connection to a newer one.',
      ),
    );
    expect(() => checkServerVersion(150000, '15.0')).not.toThrow();
  });

  it('sets up the metadata and a NOLOGIN NOINHERIT engine role once, however many engines start together', async () => {
    const knex = await databases.init(warehouseTestDatabaseId());
    const prefix = uniqueRolePrefix();
    const engines = [1, 2, 3].map(
      () => new WarehouseEngine({ knex, rolePrefix: prefix }),
    );
    try {
      await Promise.all(engines.map(engine => engine.ready()));
      const role = await knex.raw(
        `SELECT rolinherit, rolcanlogin, pg_has_role(current_user, rolname, 'MEMBER') AS member
           FROM pg_roles WHERE rolname = ?`,
        [new RoleNames(prefix).engine],
      );
      expect(role.rows).toEqual([
        { rolinherit: false, rolcanlogin: false, member: true },
      ]);
      const versions = await knex('dataproducts_meta.schema_version').count(
        '* as n',
      );
      expect(Number(versions[0].n)).toBe(METADATA_MIGRATIONS.length);
    } finally {
      await dropRoles(knex, prefix);
    }
  });

  it('refuses an engine role that would pass on the rights of product roles', async () => {
    const knex = await databases.init(warehouseTestDatabaseId());
    const prefix = uniqueRolePrefix();
    const engineRole = new RoleNames(prefix).engine;
    await knex.raw(`CREATE ROLE "${engineRole}" NOLOGIN INHERIT`);
    try {
      await expect(
        new WarehouseEngine({ knex, rolePrefix: prefix }).ready(),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          `Role '${engineRole}' exists but is not NOLOGIN NOINHERIT`,
        ),
      });
    } finally {
      await dropRoles(knex, prefix);
    }
  });
});
