import { Knex } from 'knex';
import { ForwardedError } from '@backstage/errors';
import { readColumns } from './catalog';
import { columnDrift } from './contract';
import { RunControl } from './control';
import { contractError } from './errors';
import { EngineLock, takeLocks } from './locks';
import { escapeIdentifier } from './sql';
import { QualityOutcome, runQualityCheck } from './qualityRun';
import { recordQualityOutcome } from './qualityResults';
import { PlanCheck, PlanStatement, PlanStep } from './types';

/** What one statement returned. */
export interface StatementResult {
  rows: Array<Record<string, unknown>>;
  /** The result's columns (name and type oid), as pg reports them. */
  fields?: Array<{ name: string; dataTypeID: number }>;
}

/**
 * A plan step as the runner takes it: the step itself, what the dry run runs
 * instead, how to explain a statement that failed, and the bookkeeping to
 * record once it ran.
 */
export interface RunnableStep extends PlanStep {
  /**
   * What the dry run runs instead of `statements`, when that differs: a
   * build with `LIMIT 0`, up to its checks, without replacing the live
   * port. Checks apply by the same indexes.
   */
  rehearsal?: PlanStatement[];
  /**
   * Turns PostgreSQL's error from one of the step's statements (or
   * rehearsal statements) into one for the user; undefined when that
   * statement's failure needs no explaining.
   */
  explainFailure?(error: unknown, statement: PlanStatement): Error | undefined;
  /**
   * Advisory locks the step takes, exclusively, before its first statement
   * (beyond those its run took at the start), held until the run ends.
   */
  locks?: EngineLock[];
  /** Writes the metadata rows for what the step did, as the engine's user. */
  record?(trx: Knex.Transaction, results: StatementResult[]): Promise<void>;
}

/** The step as data, as a plan shows it. */
export function toPlanStep(step: RunnableStep): PlanStep {
  const { id, description, statements, checks, qualityChecks } = step;
  return {
    id,
    description,
    statements,
    ...(checks?.length ? { checks } : {}),
    ...(qualityChecks?.length ? { qualityChecks } : {}),
  };
}

/** The pg client under a knex transaction. */
interface PgConnection {
  query(config: {
    text: string;
    queryMode: 'extended';
  }): Promise<StatementResult>;
}

/**
 * Runs a statement exactly as written on the transaction's own connection.
 * Not through knex, which would take every `?` (in a comment, in a model) for
 * a placeholder; and with the extended protocol, which never runs more than
 * one statement from one string.
 */
function execute(
  connection: PgConnection,
  sql: string,
): Promise<StatementResult> {
  return connection.query({ text: sql, queryMode: 'extended' });
}

async function check(trx: Knex.Transaction, planned: PlanCheck) {
  const actual = await readColumns(
    trx,
    planned.relation.schema,
    planned.relation.name,
  );
  const drift = columnDrift(planned.columns, actual);
  if (drift.length > 0) {
    throw contractError(planned.product, planned.port, drift);
  }
}

/** How {@link runSteps} runs. */
export interface RunOptions {
  /** Stops the run once cancelled, and explains timeouts. */
  control: RunControl;
  /** The dry run: each step's rehearsal instead of its statements, and no bookkeeping. */
  rehearse?: boolean;
}

/**
 * Runs steps in order inside the caller's transaction: each statement as the
 * role it names (`SET LOCAL ROLE`, else the engine's user), the checks after
 * the statement they follow, then the step's bookkeeping; a step's own
 * locks first. Before each statement it stops if the run was cancelled. The first failure throws, and
 * the caller's transaction rolls everything back.
 */
export async function runSteps(
  trx: Knex.Transaction,
  steps: RunnableStep[],
  options: RunOptions,
): Promise<void> {
  const { control, rehearse } = options;
  const connection: PgConnection = await trx.client.acquireConnection();
  for (const step of steps) {
    const doing = `step ${step.id} (${step.description})`;
    const statements = (rehearse && step.rehearsal) || step.statements;
    let role: string | undefined;
    const results: StatementResult[] = [];
    const outcomes: QualityOutcome[] = [];
    const run = async (sql: string) => {
      control.check(doing);
      return execute(connection, sql);
    };
    if (step.locks?.length) {
      await takeLocks(trx, control, { exclusive: step.locks });
    }
    for (const [index, statement] of statements.entries()) {
      try {
        if (statement.role !== role) {
          await run(
            statement.role
              ? `SET LOCAL ROLE ${escapeIdentifier(statement.role)}`
              : 'RESET ROLE',
          );
          role = statement.role;
        }
        results.push(await run(statement.sql));
      } catch (error) {
        throw (
          control.interruption(error, doing) ??
          step.explainFailure?.(error, statement) ??
          new ForwardedError(
            `Step ${step.id} (${step.description}) failed at ${statement.sql}`,
            error,
          )
        );
      }
      for (const planned of step.checks ?? []) {
        if (planned.after === index) {
          await check(trx, planned);
        }
      }
      // Example keys of a failure are read as the role that measured.
      for (const planned of step.qualityChecks ?? []) {
        if (planned.after === index) {
          const outcome = await runQualityCheck(
            planned,
            results,
            sql => run(sql),
            Boolean(rehearse),
          );
          if (outcome) {
            outcomes.push(outcome);
          }
        }
      }
    }
    if (role) {
      await run('RESET ROLE');
    }
    if (!rehearse) {
      await step.record?.(trx, results);
      for (const outcome of outcomes) {
        await recordQualityOutcome(trx, outcome);
      }
    }
  }
}
