import type { AccessEvent } from '@dataproducts/plugin-data-products-common';
import type { Knex } from 'knex';

// Made by the package's migrations (see migrations/).
const TABLE = 'data_product_events';

interface EventRow {
  id: string | number;
  at: Date | string;
  actor: string;
  action: AccessEvent['action'];
  product: string;
  port: string | null;
  consumer: string | null;
  outcome: AccessEvent['outcome'];
  detail: string | null;
}

/** An event before it is stored: the store gives it its id and time. */
export type NewAccessEvent = Omit<AccessEvent, 'id' | 'at'>;

function fromRow(row: EventRow): AccessEvent {
  return {
    id: String(row.id),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action: row.action,
    product: row.product,
    ...(row.port ? { port: row.port } : {}),
    ...(row.consumer ? { consumer: row.consumer } : {}),
    outcome: row.outcome,
    ...(row.detail ? { detail: row.detail } : {}),
  };
}

/** The history of every change to products and their access, in the plugin's database. */
export class HistoryStore {
  /** A store on the events table, which the plugin's migrations create. */
  constructor(private readonly knex: Knex) {}

  /** Stores an event at the current time. */
  async add(event: NewAccessEvent): Promise<AccessEvent> {
    const [row] = await this.knex<EventRow>(TABLE)
      .insert({
        at: this.knex.fn.now(),
        actor: event.actor,
        action: event.action,
        product: event.product,
        port: event.port ?? null,
        consumer: event.consumer ?? null,
        outcome: event.outcome,
        detail: event.detail ?? null,
      })
      .returning('*');
    return fromRow(row);
  }

  /** A product's events, newest (last stored) first. */
  async list(product: string): Promise<AccessEvent[]> {
    const rows = await this.knex<EventRow>(TABLE)
      .where({ product })
      .orderBy('id', 'desc');
    return rows.map(fromRow);
  }
}
