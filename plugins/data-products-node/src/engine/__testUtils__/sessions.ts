import { Knex } from 'knex';
import { ProvisionRequest } from '../types';
import { BUILD_APPLICATION_NAME } from '../sessions';

/** The engine's build sessions on this database, and whether each waits for a lock. */
export async function buildBackends(
  knex: Knex,
): Promise<Array<{ pid: number; waitingForLock: boolean }>> {
  const result = await knex.raw(
    `SELECT pid, wait_event_type = 'Lock' AS "waitingForLock"
       FROM pg_catalog.pg_stat_activity
      WHERE application_name = ? AND datname = current_database()
      ORDER BY pid`,
    [BUILD_APPLICATION_NAME],
  );
  return result.rows;
}

/**
 * Polls `probe` until it returns something other than `undefined` or
 * `false`, and returns that; fails naming `what` if that never happens.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
): Promise<T> {
  for (let attempt = 0; attempt < 2000; attempt++) {
    const value = await probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  throw new Error(`Gave up waiting for ${what}`);
}

/** Waits until `count` build sessions are waiting for a lock. */
export function buildsWaitingForLocks(knex: Knex, count: number) {
  return waitFor(`${count} builds waiting for a lock`, async () => {
    const waiting = (await buildBackends(knex)).filter(b => b.waitingForLock);
    return waiting.length === count && waiting;
  });
}

/** Waits until no build session is left on the database. */
export function noBuildSessionLeft(knex: Knex) {
  return waitFor(
    'the build sessions to end',
    async () => (await buildBackends(knex)).length === 0,
  );
}

/**
 * Takes a lock (e.g. `LOCK TABLE ... IN ACCESS EXCLUSIVE MODE`) in a
 * transaction of the test's own, held until `release`.
 */
export async function holdLock(
  knex: Knex,
  sql: string,
): Promise<{ release(): Promise<void> }> {
  const trx = await knex.transaction();
  await trx.raw(sql);
  return {
    release: async () => {
      await trx.rollback();
    },
  };
}

/** The same product under another name and schema (`-` in the name becomes `_`). */
export function copyOf(
  request: ProvisionRequest,
  name: string,
): ProvisionRequest {
  return {
    ...request,
    product: {
      ...request.product,
      metadata: { ...request.product.metadata, name },
      spec: { ...request.product.spec, schema: name.replace(/-/g, '_') },
    },
    ports: request.ports.map(port => ({
      ...port,
      metadata: { ...port.metadata, name: `${name}-${port.spec.name}` },
      spec: { ...port.spec, dataProduct: name },
    })),
  };
}

/** Whether a promise has settled yet (without waiting for it). */
export function settledState(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  return () => settled;
}
