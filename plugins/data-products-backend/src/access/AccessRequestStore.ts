import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  AccessRequest,
  AccessRequestQuery,
  AccessRequestStatus,
} from '@dataproducts/plugin-data-products-common';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';

// Made by the package's migrations (see migrations/).
const TABLE = 'data_product_access_requests';

/** The partial unique index that allows one open request per port and consumer. */
const OPEN_REQUEST_INDEX = 'data_product_access_requests_open_idx';

interface AccessRequestRow {
  id: string;
  port: string;
  product: string;
  consumer: string;
  product_name: string;
  port_name: string;
  consumer_name: string;
  requester: string;
  purpose: string;
  until: Date | string | null;
  status: AccessRequestStatus;
  decided_by: string | null;
  decision_note: string | null;
  outcome: string | null;
  reminded_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** The names the warehouse knows a request's product, port and consumer by. */
export interface WarehouseNames {
  productName: string;
  portName: string;
  consumerName: string;
}

/** A request with the names the warehouse knows its parts by. */
export type StoredAccessRequest = AccessRequest & WarehouseNames;

/** What a transition changes on a request. */
export interface AccessRequestChange {
  status: AccessRequestStatus;
  decidedBy?: string;
  decisionNote?: string;
  outcome?: string;
}

const toIso = (value: Date | string) => new Date(value).toISOString();

function fromRow(row: AccessRequestRow): StoredAccessRequest {
  return {
    id: row.id,
    port: row.port,
    product: row.product,
    consumer: row.consumer,
    requester: row.requester,
    purpose: row.purpose,
    ...(row.until ? { until: toIso(row.until) } : {}),
    status: row.status,
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
    ...(row.decision_note ? { decisionNote: row.decision_note } : {}),
    ...(row.outcome ? { outcome: row.outcome } : {}),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    productName: row.product_name,
    portName: row.port_name,
    consumerName: row.consumer_name,
  };
}

/** The request as the API shows it. */
export function toAccessRequest(stored: StoredAccessRequest): AccessRequest {
  const { productName, portName, consumerName, ...request } = stored;
  return request;
}

function isUniqueViolation(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '23505' && constraint === OPEN_REQUEST_INDEX;
}

/**
 * Access requests in the plugin's database. Every status change goes through
 * {@link AccessRequestStore.transition}, which holds the request's row lock
 * while the change (and the GRANT or REVOKE it makes) runs, so two decisions
 * on one request happen one after the other.
 */
export class AccessRequestStore {
  /** A store on the access request table, which the plugin's migrations create. */
  constructor(private readonly knex: Knex) {}

  /**
   * Stores a new request as `requested`. Refused with a `ConflictError`
   * naming the open request when the consumer already has one for the port.
   */
  async create(
    request: WarehouseNames & {
      port: string;
      product: string;
      consumer: string;
      requester: string;
      purpose: string;
      until?: string;
    },
  ): Promise<StoredAccessRequest> {
    const now = new Date();
    try {
      const [row] = await this.knex<AccessRequestRow>(TABLE)
        .insert({
          id: randomUUID(),
          port: request.port,
          product: request.product,
          product_name: request.productName,
          port_name: request.portName,
          consumer_name: request.consumerName,
          consumer: request.consumer,
          requester: request.requester,
          purpose: request.purpose,
          until: request.until ? new Date(request.until) : null,
          status: 'requested',
          created_at: now,
          updated_at: now,
        })
        .returning('*');
      return fromRow(row);
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      const open = await this.knex<AccessRequestRow>(TABLE)
        .where({ port: request.port, consumer: request.consumer })
        .whereIn('status', ['requested', 'granted'])
        .first();
      throw new ConflictError(
        `${request.consumer} already has access request ${open?.id ?? ''} for ${
          request.port
        }, which is ${
          open?.status ?? 'open'
        }: wait for its decision, or revoke it before asking again`,
      );
    }
  }

  /** One request; a `NotFoundError` naming the id when there is none. */
  async get(id: string): Promise<StoredAccessRequest> {
    const row = await this.knex<AccessRequestRow>(TABLE).where({ id }).first();
    if (!row) {
      throw new NotFoundError(`There is no access request ${id}`);
    }
    return fromRow(row);
  }

  /** The requests matching every given filter, newest first. */
  async list(query: AccessRequestQuery = {}): Promise<StoredAccessRequest[]> {
    const filters = Object.fromEntries(
      Object.entries(query).filter(([, value]) => value !== undefined),
    );
    const rows = await this.knex<AccessRequestRow>(TABLE)
      .where(filters)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return rows.map(fromRow);
  }

  /** The granted requests of the given consumers on the given ports. */
  async granted(filter: {
    port?: string;
    consumers?: string[];
  }): Promise<StoredAccessRequest[]> {
    const query = this.knex<AccessRequestRow>(TABLE).where({
      status: 'granted',
    });
    if (filter.port) query.where({ port: filter.port });
    if (filter.consumers) query.whereIn('consumer', filter.consumers);
    return (await query.orderBy('created_at')).map(fromRow);
  }

  /**
   * Changes a request under its row lock (`SELECT ... FOR UPDATE`): `decide`
   * sees the request as it is once the lock is held, and returns the change,
   * or throws to leave it as it is. Work `decide` does (a GRANT) happens
   * before any other transition of the same request can start.
   */
  async transition(
    id: string,
    decide: (current: StoredAccessRequest) => Promise<AccessRequestChange>,
  ): Promise<StoredAccessRequest> {
    return this.knex.transaction(async trx => {
      const row = await trx<AccessRequestRow>(TABLE)
        .where({ id })
        .forUpdate()
        .first();
      if (!row) {
        throw new NotFoundError(`There is no access request ${id}`);
      }
      const change = await decide(fromRow(row));
      const [updated] = await trx<AccessRequestRow>(TABLE)
        .where({ id })
        .update({
          status: change.status,
          ...(change.decidedBy !== undefined
            ? { decided_by: change.decidedBy }
            : {}),
          ...(change.decisionNote !== undefined
            ? { decision_note: change.decisionNote || null }
            : {}),
          ...(change.outcome !== undefined ? { outcome: change.outcome } : {}),
          updated_at: new Date(),
        })
        .returning('*');
      return fromRow(updated);
    });
  }

  /** Records what the warehouse answered, without changing the status. */
  async setOutcome(id: string, outcome: string): Promise<void> {
    await this.knex<AccessRequestRow>(TABLE)
      .where({ id })
      .update({ outcome, updated_at: new Date() });
  }

  /** The ids of granted requests whose end date has passed. */
  async dueForExpiry(now: Date): Promise<string[]> {
    const rows = await this.knex<AccessRequestRow>(TABLE)
      .where({ status: 'granted' })
      .where('until', '<=', now)
      .orderBy('until')
      .select('id');
    return rows.map(row => row.id);
  }

  /**
   * Claims the granted requests that end before `before` and were not
   * reminded yet: marks them reminded and returns them. Each is returned to
   * one caller only, however many replicas ask at once.
   */
  async claimReminders(before: Date): Promise<StoredAccessRequest[]> {
    const rows = await this.knex<AccessRequestRow>(TABLE)
      .where({ status: 'granted' })
      .whereNull('reminded_at')
      .where('until', '<=', before)
      .update({ reminded_at: new Date() })
      .returning('*');
    return rows.map(fromRow);
  }
}
