import { Knex } from 'knex';
import { ConflictError, InputError } from '@backstage/errors';
import { BuildCancelledError, isPgError } from './errors';
import { BUILD_TIMEOUT_ANNOTATION, formatDuration } from './limits';
import { markTransient } from './transient';

/** The timeouts one run's transaction is bounded by. */
export interface RunTimeouts {
  /** `statement_timeout`: how long any one statement may run, in milliseconds. */
  statementMs: number;
  /** `lock_timeout`: how long any one lock may be waited for, in milliseconds. */
  lockMs: number;
}

// SQLSTATEs of the ways PostgreSQL stops a statement it was asked to bound.
const QUERY_CANCELED = '57014';
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * How one run of the engine is bounded and stopped: the timeouts its
 * transaction sets, the caller's `AbortSignal`, and the typed errors that
 * say which of them ended the run.
 */
export class RunControl {
  private readonly explained = new WeakSet<Error>();

  constructor(
    /** The run, for messages: `Provisioning data product 'x'`. */
    readonly what: string,
    readonly timeouts: RunTimeouts,
    private readonly signal?: AbortSignal,
  ) {}

  /** True once the caller cancelled the run. */
  get cancelled(): boolean {
    return this.signal?.aborted ?? false;
  }

  /**
   * Sets `statement_timeout` and `lock_timeout` for the rest of the
   * transaction (`SET LOCAL`, written as `set_config(..., true)`).
   */
  async bound(trx: Knex.Transaction): Promise<void> {
    await trx.raw(
      "SELECT set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true)",
      [String(this.timeouts.statementMs), String(this.timeouts.lockMs)],
    );
  }

  /** Throws a `BuildCancelledError` when the run was cancelled before `doing`. */
  check(doing: string): void {
    if (this.cancelled) {
      throw this.cancellation(doing);
    }
  }

  /** The error that says the run was cancelled during `doing`. */
  cancellation(doing: string): BuildCancelledError {
    return this.remember(
      new BuildCancelledError(
        `${this.what} was cancelled during ${doing}; nothing of it was committed. Run it again to make the change.`,
      ),
    );
  }

  /**
   * The typed error for an `error` that ended the run during `doing`
   * because it was cancelled, ran out of time or waited too long for a lock;
   * an error this control made already is returned as it is. Undefined for
   * any other error.
   */
  interruption(error: unknown, doing: string): Error | undefined {
    if (error instanceof Error && this.explained.has(error)) {
      return error;
    }
    if (this.cancelled) {
      return this.cancellation(doing);
    }
    if (!isPgError(error)) {
      return undefined;
    }
    if (error.code === QUERY_CANCELED) {
      return this.remember(
        new InputError(
          `${this.what} stopped during ${doing}: ${error.message}. ` +
            `A build statement may run for ${formatDuration(
              this.timeouts.statementMs,
            )} (dataProducts.warehouse.buildTimeout, or the product's ${BUILD_TIMEOUT_ANNOTATION} annotation up to dataProducts.warehouse.maxBuildTimeout). ` +
            `Nothing of the run was kept: make the model cheaper, or give the product a longer build timeout.`,
        ),
      );
    }
    if (error.code === LOCK_NOT_AVAILABLE) {
      // Transient: a refresh that waited too long is tried again later.
      return this.remember(
        markTransient(
          new ConflictError(
            `${this.what} waited longer than ${formatDuration(
              this.timeouts.lockMs,
            )} (dataProducts.warehouse.lockTimeout) for a lock during ${doing}: another session holds it. ` +
              `Nothing of the run was kept; try again once the other operation has finished.`,
          ),
        ),
      );
    }
    return undefined;
  }

  private remember<T extends Error>(error: T): T {
    this.explained.add(error);
    return error;
  }
}
