import type {
  FreshnessState,
  RefreshOutcome,
  RefreshRun,
  RefreshTrigger,
} from '@dataproducts/plugin-data-products-common';
import type { Knex } from 'knex';

// Made by the package's migrations (see migrations/20261201a_refresh_runs.js).
const RUNS = 'data_product_refresh_runs';
const STATES = 'data_product_port_freshness';
/** Ports read or written per statement when states are swapped (3 parameters a row). */
const SWAP_CHUNK = 5000;

function chunks<T>(items: ReadonlyArray<T>, size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

interface RunRow {
  id: string | number;
  port: string;
  product: string;
  product_name: string;
  port_name: string;
  trigger: RefreshTrigger;
  actor: string;
  attempt: number;
  started_at: Date | string;
  finished_at: Date | string | null;
  outcome: RefreshOutcome;
  rows: string | number | null;
  error: string | null;
}

function fromRow(row: RunRow): RefreshRun {
  return {
    id: String(row.id),
    product: row.product,
    port: row.port,
    trigger: row.trigger,
    actor: row.actor,
    attempt: row.attempt,
    startedAt: new Date(row.started_at).toISOString(),
    ...(row.finished_at
      ? { finishedAt: new Date(row.finished_at).toISOString() }
      : {}),
    outcome: row.outcome,
    ...(row.rows !== null ? { rows: Number(row.rows) } : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}

/** A port a refresh is recorded for: its refs and its names in the warehouse. */
export interface RunSubject {
  port: string;
  product: string;
  productName: string;
  portName: string;
}

/** The refresh attempts of table ports and the freshness each was last seen in, in the plugin's database. */
export class RefreshRunStore {
  /** A store on the tables the plugin's migrations create. */
  constructor(private readonly knex: Knex) {}

  /** Records an attempt that starts now, `running`. */
  async start(
    subject: RunSubject,
    run: { trigger: RefreshTrigger; actor: string; attempt: number },
  ): Promise<string> {
    const [row] = await this.knex<RunRow>(RUNS)
      .insert({
        port: subject.port,
        product: subject.product,
        product_name: subject.productName,
        port_name: subject.portName,
        trigger: run.trigger,
        actor: run.actor,
        attempt: run.attempt,
        started_at: this.knex.fn.now() as unknown as Date,
        outcome: 'running',
      })
      .returning('id');
    return String(typeof row === 'object' ? row.id : row);
  }

  /** Records how an attempt ended, now. */
  async finish(
    id: string,
    result: { outcome: Exclude<RefreshOutcome, 'running'> } & (
      | { rows: number }
      | { error: string }
    ),
  ): Promise<RefreshRun> {
    const [row] = await this.knex<RunRow>(RUNS)
      .where({ id })
      .update({
        finished_at: this.knex.fn.now() as unknown as Date,
        outcome: result.outcome,
        rows: 'rows' in result ? result.rows : null,
        error: 'error' in result ? result.error : null,
      })
      .returning('*');
    return fromRow(row);
  }

  /** A port's most recent attempts, newest first. */
  async recent(port: string, limit: number): Promise<RefreshRun[]> {
    const rows = await this.knex<RunRow>(RUNS)
      .where({ port })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(fromRow);
  }

  /**
   * How many refreshes of each port failed one after the other, up to now:
   * attempts that ended `failed` since the port's last `succeeded` one
   * (`retrying` attempts are part of a refresh that was tried again).
   */
  async consecutiveFailures(ports?: string[]): Promise<Map<string, number>> {
    const query = this.knex<RunRow>(`${RUNS} as r`)
      .select('r.port')
      .count({ failures: '*' })
      .where('r.outcome', 'failed')
      .whereRaw(
        `r.id > coalesce((SELECT max(s.id) FROM ${RUNS} s WHERE s.port = r.port AND s.outcome = 'succeeded'), 0)`,
      )
      .groupBy('r.port');
    if (ports) {
      query.whereIn('r.port', ports);
    }
    const rows = (await query) as unknown as Array<{
      port: string;
      failures: string | number;
    }>;
    return new Map(rows.map(row => [row.port, Number(row.failures)]));
  }

  /** The freshness each port was last seen in. */
  async states(): Promise<Map<string, FreshnessState>> {
    const rows = await this.knex(STATES).select('port', 'state');
    return new Map(
      rows.map((row: { port: string; state: FreshnessState }) => [
        row.port,
        row.state,
      ]),
    );
  }

  /**
   * Stores the states ports are seen in, in one transaction; resolves with
   * the state each port whose state changed was in before (undefined the
   * first time it is seen). Ports whose state is unchanged are not written.
   * Concurrent checks on two replicas each see one change: the stored rows
   * are locked while they are compared and replaced.
   */
  async swapStates(
    states: ReadonlyArray<{ port: string; state: FreshnessState }>,
  ): Promise<Map<string, FreshnessState | undefined>> {
    const changed = new Map<string, FreshnessState | undefined>();
    if (states.length === 0) {
      return changed;
    }
    await this.knex.transaction(async trx => {
      const before = new Map<string, FreshnessState>();
      for (const chunk of chunks(states, SWAP_CHUNK)) {
        const rows: Array<{ port: string; state: FreshnessState }> = await trx(
          STATES,
        )
          .whereIn(
            'port',
            chunk.map(s => s.port),
          )
          .orderBy('port')
          .forUpdate()
          .select('port', 'state');
        for (const row of rows) before.set(row.port, row.state);
      }
      const writes = states.filter(s => before.get(s.port) !== s.state);
      for (const chunk of chunks(writes, SWAP_CHUNK)) {
        await trx(STATES)
          .insert(
            chunk.map(({ port, state }) => ({
              port,
              state,
              since: trx.fn.now(),
            })),
          )
          .onConflict('port')
          .merge();
      }
      for (const { port } of writes) changed.set(port, before.get(port));
    });
    return changed;
  }
}
