import { Knex } from 'knex';
import { LoggerService } from '@backstage/backend-plugin-api';
import { RunControl, RunTimeouts } from './control';
import { BuildLimits } from './limits';
import { RunLocks, takeLocks } from './locks';
import { QualityCheckError } from './qualityRun';
import { recordQualityOutcome } from './qualityResults';
import { BuildRun, BuildSessions } from './sessions';

/**
 * How the engine runs its transactions: builds (anything that runs a model
 * or a source's query) on connections of their own through
 * {@link BuildSessions}, other changes on the pool; each holding its advisory
 * locks and bounded by the configured timeouts.
 */
export class EngineRuns {
  private readonly sessions: BuildSessions;

  constructor(
    readonly knex: Knex,
    private readonly limits: BuildLimits,
    private readonly logger?: LoggerService,
  ) {
    this.sessions = new BuildSessions(knex, limits.maxConcurrentBuilds, logger);
  }

  /** The timeouts of a build of a product with the given build timeout (at most the maximum). */
  timeouts(buildTimeoutMs?: number): RunTimeouts {
    return {
      statementMs: Math.min(
        buildTimeoutMs ?? this.limits.buildTimeoutMs,
        this.limits.maxBuildTimeoutMs,
      ),
      lockMs: this.limits.lockTimeoutMs,
    };
  }

  /**
   * Runs a build holding `locks`; see {@link BuildSessions.run}. A build its
   * quality checks refused is rolled back, and the results of those checks
   * are then recorded on the pool, so the Quality card shows the failure.
   */
  async build<T>(
    run: BuildRun,
    locks: RunLocks,
    fn: (trx: Knex.Transaction, control: RunControl) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.sessions.run(run, async (trx, control) => {
        await takeLocks(trx, control, locks);
        return fn(trx, control);
      });
    } catch (error) {
      if (error instanceof QualityCheckError && !run.rollback) {
        // The refusal is what the caller must see, even if recording fails.
        await recordQualityOutcome(this.knex, error.outcome).catch(failure =>
          this.logger?.error(
            `Could not record the failed quality checks of output port '${error.outcome.port}' of data product '${error.outcome.product}': ${failure}`,
          ),
        );
      }
      throw error;
    }
  }

  /**
   * Runs a change that runs no model or source query (grants,
   * decommissioning) in one transaction on the pool, holding `locks`,
   * bounded by the default timeouts.
   */
  async change<T>(
    what: string,
    locks: RunLocks,
    fn: (trx: Knex.Transaction, control: RunControl) => Promise<T>,
  ): Promise<T> {
    const control = new RunControl(what, this.timeouts());
    try {
      return await this.knex.transaction(async trx => {
        await control.bound(trx);
        await takeLocks(trx, control, locks);
        return fn(trx, control);
      });
    } catch (error) {
      throw control.interruption(error, 'the run') ?? error;
    }
  }
}
