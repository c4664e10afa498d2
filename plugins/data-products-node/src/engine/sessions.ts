import { Knex } from 'knex';
import { LoggerService } from '@backstage/backend-plugin-api';
import { RunControl, RunTimeouts } from './control';

/** The `application_name` of a build's connection, as `pg_stat_activity` shows it. */
export const BUILD_APPLICATION_NAME = 'dataproducts build';

/**
 * How long a cancelled build may take to stop after `pg_cancel_backend`
 * before its backend is terminated: the cancel can arrive between two
 * statements and find nothing to cancel.
 */
const TERMINATE_AFTER_MS = 5_000;

/** One build: what it is, its bounds, its caller's signal and how it ends. */
export interface BuildRun {
  /** The run, for messages: `Provisioning data product 'x'`. */
  what: string;
  timeouts: RunTimeouts;
  signal?: AbortSignal;
  /** Roll the transaction back at the end, whatever happens: the dry run and model checks. */
  rollback?: boolean;
}

/** pg's client, as knex hands out a raw connection. */
interface RawConnection {
  processID: number;
}

/** A build's backend: its pid, and when it started, which tells it from a later one with the same pid. */
interface Backend {
  pid: number;
  started: string;
}

/**
 * Runs builds (apply, refresh, dry runs, model checks), at most
 * `maxConcurrent` at once and the others queued, each in one transaction on
 * a connection of its own that is closed afterwards: whatever session state
 * a build leaves behind (a `set_config(..., false)` in a source's view, a
 * session lock) dies with its connection, and builds never take the
 * connections of the pool that reads status. A cancelled build's running
 * statement is cancelled from the pool (`pg_cancel_backend`), and nothing
 * commits once its signal fired.
 */
export class BuildSessions {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly knex: Knex,
    private readonly maxConcurrent: number,
    private readonly logger?: LoggerService,
  ) {}

  /**
   * Runs `fn` in a transaction bounded by `run.timeouts`, on a connection of
   * its own, once a build slot is free; commits unless `run.rollback` (or
   * the run was cancelled), and maps timeouts and cancellation to typed
   * errors.
   */
  async run<T>(
    run: BuildRun,
    fn: (trx: Knex.Transaction, control: RunControl) => Promise<T>,
  ): Promise<T> {
    const control = new RunControl(run.what, run.timeouts, run.signal);
    control.check('the wait for a free build slot');
    await this.takeSlot(control, run.signal);
    try {
      return await this.runOnOwnConnection(run, control, fn);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private takeSlot(control: RunControl, signal?: AbortSignal): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        start: () => {
          signal?.removeEventListener('abort', waiter.leave);
          this.running++;
          resolve();
        },
        leave: () => {
          this.waiting.splice(this.waiting.indexOf(waiter.start), 1);
          reject(control.cancellation('the wait for a free build slot'));
        },
      };
      this.waiting.push(waiter.start);
      signal?.addEventListener('abort', waiter.leave, { once: true });
    });
  }

  private async runOnOwnConnection<T>(
    run: BuildRun,
    control: RunControl,
    fn: (trx: Knex.Transaction, control: RunControl) => Promise<T>,
  ): Promise<T> {
    const connection: RawConnection =
      await this.knex.client.acquireRawConnection();
    let terminate: NodeJS.Timeout | undefined;
    let backend: Backend | undefined;
    const stop = () => {
      if (!backend) {
        // Not named yet: control.check() stops the run before its first statement.
        return;
      }
      const started = backend;
      this.signalBackend('pg_cancel_backend', started);
      terminate = setTimeout(
        () => this.signalBackend('pg_terminate_backend', started),
        TERMINATE_AFTER_MS,
      );
      terminate.unref();
    };
    run.signal?.addEventListener('abort', stop, { once: true });
    try {
      const named = await this.knex
        .raw(
          `SELECT set_config('application_name', ?, false), backend_start::text AS started
             FROM pg_catalog.pg_stat_activity WHERE pid = pg_backend_pid()`,
          [BUILD_APPLICATION_NAME],
        )
        .connection(connection);
      backend = { pid: connection.processID, started: named.rows[0].started };
      const trx = await this.knex.transaction(null, { connection });
      try {
        await control.bound(trx);
        const result = await fn(trx, control);
        control.check('the commit');
        await (run.rollback ? trx.rollback() : trx.commit());
        return result;
      } catch (error) {
        if (!trx.isCompleted()) {
          // The connection is closed below whatever happens here; a failed
          // ROLLBACK (the backend was terminated) leaves nothing behind.
          await trx.rollback().catch(() => undefined);
        }
        throw error;
      }
    } catch (error) {
      throw control.interruption(error, 'the run') ?? error;
    } finally {
      run.signal?.removeEventListener('abort', stop);
      clearTimeout(terminate);
      await this.knex.client.destroyRawConnection(connection);
    }
  }

  /**
   * Cancels the build's statement, or ends its backend, from the pool; only
   * while that backend is still the build's (same pid and start time), never
   * a later session that was given the same pid.
   */
  private signalBackend(
    fn: 'pg_cancel_backend' | 'pg_terminate_backend',
    backend: Backend,
  ) {
    this.knex
      .raw(
        `SELECT ${fn}(pid) FROM pg_catalog.pg_stat_activity WHERE pid = ? AND backend_start::text = ?`,
        [backend.pid, backend.started],
      )
      .catch(error => {
        this.logger?.warn(
          `Could not stop a cancelled build (backend ${backend.pid}) with ${fn}: ${error}. Its transaction is rolled back when its next statement or its commit starts.`,
        );
      });
  }
}
