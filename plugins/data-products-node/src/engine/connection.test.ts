import { randomBytes } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import { warehouseTestConnectionString } from '../testUtils';
import { connectWarehouse, readWarehouseConfig } from './connection';

const server = warehouseTestConnectionString();

describe('warehouse connection', () => {
  it('defaults to the backend database server and dataproducts_warehouse', () => {
    const settings = readWarehouseConfig(
      new ConfigReader({
        backend: {
          database: {
            client: 'pg',
            connection: { host: 'db', port: '5433', user: 'u', password: 'p' },
          },
        },
      }),
    );
    expect(settings).toEqual({
      connection: { host: 'db', port: 5433, user: 'u', password: 'p' },
      database: 'dataproducts_warehouse',
      rolePrefix: 'dp_',
      sourceSchema: 'sources',
    });
  });

  it('refuses a non-PostgreSQL backend database without a warehouse connection', () => {
    expect(() =>
      readWarehouseConfig(
        new ConfigReader({
          backend: { database: { client: 'better-sqlite3' } },
        }),
      ),
    ).toThrow(/needs PostgreSQL/);
  });

  it('creates the warehouse database when missing', async () => {
    const database = `dp_wh_test_${randomBytes(4).toString('hex')}`;
    const settings = readWarehouseConfig(
      new ConfigReader({
        dataProducts: {
          warehouse: { connection: { connectionString: server }, database },
        },
      }),
    );
    const knex = await connectWarehouse(settings);
    try {
      const r = await knex.raw('SELECT current_database() AS db');
      expect(r.rows[0].db).toBe(database);
    } finally {
      await knex.destroy();
      const again = await connectWarehouse({
        ...settings,
        database: 'postgres',
      });
      await again.raw(`DROP DATABASE "${database}"`);
      await again.destroy();
    }
  });

  it('creates the warehouse database once when two replicas start together', async () => {
    const database = `dp_wh_test_${randomBytes(4).toString('hex')}`;
    const settings = readWarehouseConfig(
      new ConfigReader({
        dataProducts: {
          warehouse: { connection: { connectionString: server }, database },
        },
      }),
    );
    const results = await Promise.allSettled([
      connectWarehouse(settings),
      connectWarehouse(settings),
      connectWarehouse(settings),
    ]);
    try {
      expect(
        results.map(r =>
          r.status === 'fulfilled' ? 'connected' : String(r.reason),
        ),
      ).toEqual(['connected', 'connected', 'connected']);
    } finally {
      for (const r of results) {
        if (r.status === 'fulfilled') await r.value.destroy();
      }
      const admin = await connectWarehouse({
        ...settings,
        database: 'postgres',
      });
      await admin.raw(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.destroy();
    }
  });
});
