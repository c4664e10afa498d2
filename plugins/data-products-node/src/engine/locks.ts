import { Knex } from 'knex';
import { RunControl } from './control';

/**
 * An advisory lock of the engine: one per product, one per schema, and one
 * for the grants on the source schema's tables.
 */
export interface EngineLock {
  kind: 'product' | 'schema' | 'source-grants';
  name: string;
}

/** The locks a run takes: its own exclusively, those it only reads in shared mode. */
export interface RunLocks {
  /** Taken exclusively: no other run holds them at the same time. */
  exclusive: EngineLock[];
  /**
   * Taken in shared mode: other runs that read the same products share them
   * (two consumers of one input build at once); a run that changes one of
   * them (its own apply, refresh or decommission) waits for the readers.
   */
  shared?: EngineLock[];
}

/** The product's lock. */
export function productLock(name: string): EngineLock {
  return { kind: 'product', name };
}

/** The schema's lock: of two products claiming one schema, one goes first. */
export function schemaLock(name: string): EngineLock {
  return { kind: 'schema', name };
}

/**
 * The lock of every change to the grants on the source schema and its
 * tables. A GRANT or REVOKE rewrites the table's (or schema's) one catalog
 * row, and a second transaction changing the same row fails with "tuple
 * concurrently updated" once the first commits: such changes take turns.
 */
export function sourceGrantsLock(sourceSchema: string): EngineLock {
  return { kind: 'source-grants', name: sourceSchema };
}

function key(lock: EngineLock): string {
  return `dataproducts:${lock.kind}:${lock.name}`;
}

function describe(lock: EngineLock): string {
  switch (lock.kind) {
    case 'product':
      return `data product '${lock.name}'`;
    case 'schema':
      return `schema '${lock.name}'`;
    default:
      return `the grants on source schema '${lock.name}'`;
  }
}

/**
 * Takes transaction-level advisory locks (`pg_advisory_xact_lock` and
 * `pg_advisory_xact_lock_shared` on `hashtext('dataproducts:<kind>:<name>')`),
 * in one global order so that two runs never deadlock; a lock asked for in
 * both modes is taken exclusively. Each wait is bounded by the transaction's
 * `lock_timeout`.
 */
export async function takeLocks(
  trx: Knex.Transaction,
  control: RunControl,
  locks: RunLocks,
): Promise<void> {
  const wanted = new Map<string, { lock: EngineLock; shared: boolean }>();
  for (const lock of locks.shared ?? []) {
    wanted.set(key(lock), { lock, shared: true });
  }
  for (const lock of locks.exclusive) {
    wanted.set(key(lock), { lock, shared: false });
  }
  for (const name of [...wanted.keys()].sort()) {
    const { lock, shared } = wanted.get(name)!;
    const doing = `the wait for the ${
      shared ? 'shared ' : ''
    }lock of ${describe(lock)}`;
    control.check(doing);
    try {
      await trx.raw(
        `SELECT ${
          shared ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'
        }(hashtext(?))`,
        [name],
      );
    } catch (error) {
      throw control.interruption(error, doing) ?? error;
    }
  }
}
