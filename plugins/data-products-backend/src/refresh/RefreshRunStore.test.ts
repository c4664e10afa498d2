import { TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { RefreshRunStore } from './RefreshRunStore';

jest.setTimeout(60_000);

describe('RefreshRunStore.swapStates', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  async function setup() {
    const knex: Knex = await databases.init('POSTGRES_18');
    await applyDatabaseMigrations(knex);
    return { knex, store: new RefreshRunStore(knex) };
  }

  const stored = async (knex: Knex) =>
    Object.fromEntries(
      (
        await knex('data_product_port_freshness')
          .orderBy('port')
          .select('port', 'state')
      ).map(r => [r.port, r.state]),
    );

  it('reports each change once with the state before, and writes only changes', async () => {
    const { knex, store } = await setup();
    const first = await store.swapStates([
      { port: 'outputport:default/a', state: 'fresh' },
      { port: 'outputport:default/b', state: 'fresh' },
    ]);
    // Seen for the first time: changed, with no state before.
    expect([...first]).toEqual([
      ['outputport:default/a', undefined],
      ['outputport:default/b', undefined],
    ]);
    const since = await knex('data_product_port_freshness')
      .where({ port: 'outputport:default/a' })
      .first('since');

    const second = await store.swapStates([
      { port: 'outputport:default/a', state: 'fresh' },
      { port: 'outputport:default/b', state: 'stale' },
      { port: 'outputport:default/c', state: 'unknown' },
    ]);
    expect([...second]).toEqual([
      ['outputport:default/b', 'fresh'],
      ['outputport:default/c', undefined],
    ]);
    expect(await stored(knex)).toEqual({
      'outputport:default/a': 'fresh',
      'outputport:default/b': 'stale',
      'outputport:default/c': 'unknown',
    });
    // An unchanged state keeps the time it was entered.
    expect(
      await knex('data_product_port_freshness')
        .where({ port: 'outputport:default/a' })
        .first('since'),
    ).toEqual(since);

    // Nothing changed, nothing reported; nothing asked, nothing done.
    expect(
      (
        await store.swapStates([
          { port: 'outputport:default/b', state: 'stale' },
        ])
      ).size,
    ).toBe(0);
    expect((await store.swapStates([])).size).toBe(0);
  });

  it('swaps thousands of ports at once, in chunks', async () => {
    const { knex, store } = await setup();
    const ports = Array.from({ length: 12_000 }, (_, i) => ({
      port: `outputport:default/p-${i}`,
      state: 'fresh' as const,
    }));
    expect((await store.swapStates(ports)).size).toBe(12_000);
    const turned = await store.swapStates(
      ports.map((p, i) => (i % 1000 === 0 ? { ...p, state: 'stale' } : p)),
    );
    expect(turned.size).toBe(12);
    expect([...turned.values()].every(before => before === 'fresh')).toBe(true);
    expect(
      (
        await knex('data_product_port_freshness')
          .where({ state: 'stale' })
          .count({ n: '*' })
      )[0].n,
    ).toBe('12');
  });

  it('lets two concurrent checks each see a change once', async () => {
    const { store } = await setup();
    await store.swapStates([{ port: 'outputport:default/a', state: 'fresh' }]);
    const [one, two] = await Promise.all([
      store.swapStates([{ port: 'outputport:default/a', state: 'stale' }]),
      store.swapStates([{ port: 'outputport:default/a', state: 'stale' }]),
    ]);
    expect(one.size + two.size).toBe(1);
  });
});
