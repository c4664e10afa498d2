import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { ConflictError } from '@backstage/errors';
import {
  DATA_PRODUCT_REGISTRY_TOPIC,
  type DataProductEntityV1alpha1,
  type DataProductRegistration,
  type DataProductRegistrationResult,
  type DataProductRegistryChange,
  type DataProductRegistryChangeOp,
  type DataProductRegistryChangePage,
  type DataProductRegistryEventPayload,
  type DataProductRegistryStatus,
  type OutputPortEntityV1alpha1,
  type RegisteredDataProduct,
  type RegisteredDataProductList,
} from '@dataproducts/plugin-data-products-common';
import type { Knex } from 'knex';

// Made by the package's migrations (see migrations/).
const TABLE = 'data_product_registry';
const CHANGES = 'data_product_registry_changes';

// Held (per transaction) while a change is written, so that changes commit in
// the order of their ids: a reader that saw change n has seen every change
// before it, and a cursor never skips a change committed late.
const CHANGE_LOCK = 'data-products registry changes';

/**
 * What a write was authorized against, by product name: the owner
 * (`spec.owner` as written) of the registered product the caller was allowed
 * to update, or null for a product that was not registered (so was
 * authorized as a creation). A write whose products changed owner, appeared
 * or went in between is refused, so that a caller never writes over what it
 * was not allowed to.
 */
export type RegistryWriteGuard = ReadonlyMap<string, string | null>;

interface RegistryRow {
  name: string;
  product: DataProductEntityV1alpha1 | string;
  ports: OutputPortEntityV1alpha1[] | string;
  status: DataProductRegistryStatus;
  error: string | null;
  registered_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

interface ChangeRow {
  id: number | string;
  name: string;
  op: DataProductRegistryChangeOp;
  changed_at: Date | string;
}

const lower = (name: string) => name.toLocaleLowerCase('en-US');

const parseJson = <T>(value: T | string): T =>
  typeof value === 'string' ? JSON.parse(value) : value;

const toIso = (value: Date | string) => new Date(value).toISOString();

function fromRow(row: RegistryRow): RegisteredDataProduct {
  return {
    product: parseJson(row.product),
    ports: parseJson(row.ports),
    status: row.status,
    ...(row.error ? { error: row.error } : {}),
    ...(row.registered_by ? { registeredBy: row.registered_by } : {}),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

function fromChangeRow(row: ChangeRow): DataProductRegistryChange {
  return {
    id: Number(row.id),
    name: row.name,
    op: row.op,
    changedAt: toIso(row.changed_at),
  };
}

/** What the registry store announces its changes with. */
export interface RegistryStoreOptions {
  /**
   * Where each committed change is published, on topic
   * `data-products.registry`; without it, changes reach others through the
   * change feed alone.
   */
  events?: Pick<EventsService, 'publish'>;
  /** Where a change that could not be announced is reported. */
  logger?: Pick<LoggerService, 'warn'>;
}

/**
 * Stores self-service data products in the plugin's own database, one row per
 * product, so every backend replica sharing the database sees the same set.
 * Every registration and removal is also written to the change feed in the
 * same transaction, and announced on the events service once committed.
 */
export class RegistryStore {
  private readonly isPostgres: boolean;

  /** A store on the registry tables, which the plugin's migrations create. */
  constructor(
    private readonly knex: Knex,
    private readonly options: RegistryStoreOptions = {},
  ) {
    this.isPostgres = String(knex.client.config.client).startsWith('pg');
  }

  /** All registered products, ordered by name. */
  async list(): Promise<RegisteredDataProduct[]> {
    const rows = await this.knex<RegistryRow>(TABLE).select().orderBy('name');
    return rows.map(fromRow);
  }

  /**
   * All registered products with the change-feed cursor they reflect, read
   * in one snapshot: no change can fall between the two.
   */
  async snapshot(): Promise<RegisteredDataProductList> {
    return this.readConsistently(async tx => {
      const [{ latest }] = await tx(CHANGES).max({ latest: 'id' });
      const rows = await tx<RegistryRow>(TABLE).select().orderBy('name');
      return { items: rows.map(fromRow), cursor: Number(latest ?? 0) };
    });
  }

  /**
   * The changes after `after`, at most `limit`, with the current registration
   * of each product they upserted; `stale` when `after` lies outside the
   * changes kept (see `DataProductRegistryChangePage`).
   */
  async changesAfter(
    after: number,
    limit: number,
  ): Promise<DataProductRegistryChangePage> {
    return this.readConsistently(async tx => {
      const [{ oldest, latest }] = await tx(CHANGES).select(
        tx.raw('min(id) AS oldest'),
        tx.raw('max(id) AS latest'),
      );
      // Every change up to `oldest - 1` may have been pruned: a cursor below
      // that cannot continue. One beyond the newest change comes from another
      // database (or a restored one).
      const horizon = oldest === null ? 0 : Number(oldest) - 1;
      if (after < horizon || after > Number(latest ?? 0)) {
        return {
          changes: [],
          items: [],
          cursor: after,
          more: false,
          stale: true,
        };
      }
      const rows: ChangeRow[] = await tx(CHANGES)
        .where('id', '>', after)
        .orderBy('id')
        .limit(limit + 1);
      const changes = rows.slice(0, limit).map(fromChangeRow);
      const upserted = [
        ...new Set(changes.filter(c => c.op === 'upsert').map(c => c.name)),
      ];
      const items = upserted.length
        ? (
            await tx<RegistryRow>(TABLE)
              .whereIn('name', upserted)
              .orderBy('name')
          ).map(fromRow)
        : [];
      return {
        changes,
        items,
        cursor: changes.length ? changes[changes.length - 1].id : after,
        more: rows.length > limit,
        stale: false,
      };
    });
  }

  /**
   * Deletes the changes made before `before`, always keeping the newest;
   * returns how many were deleted.
   */
  async pruneChanges(before: Date): Promise<number> {
    return this.knex(CHANGES)
      .where('changed_at', '<', before)
      .andWhere('id', '<', this.knex(CHANGES).max('id'))
      .delete();
  }

  /** One product by entity name, or undefined. */
  async get(name: string): Promise<RegisteredDataProduct | undefined> {
    const row = await this.knex<RegistryRow>(TABLE).where({ name }).first();
    return row ? fromRow(row) : undefined;
  }

  /** Products by entity name, as `get` finds them; the names not registered are left out. */
  async getMany(names: string[]): Promise<RegisteredDataProduct[]> {
    if (names.length === 0) return [];
    const rows = await this.knex<RegistryRow>(TABLE).whereIn('name', names);
    return rows.map(fromRow);
  }

  /** The registered products whose `spec.schema` is one of `schemas`. */
  async findBySchemas(schemas: string[]): Promise<RegisteredDataProduct[]> {
    if (schemas.length === 0) return [];
    const rows = this.isPostgres
      ? await this.knex<RegistryRow>(TABLE).whereRaw(
          `product #>> '{spec,schema}' = ANY(?)`,
          [schemas],
        )
      : (await this.knex<RegistryRow>(TABLE)).filter(row =>
          schemas.includes(parseJson(row.product).spec.schema),
        );
    return rows.map(fromRow);
  }

  /** The registered products, other than `except`, whose `spec.schema` is `schema`. */
  async findBySchema(
    schema: string,
    except: string,
  ): Promise<RegisteredDataProduct[]> {
    const query = this.knex<RegistryRow>(TABLE).whereNot('name', except);
    const rows = this.isPostgres
      ? await query.whereRaw(`product #>> '{spec,schema}' = ?`, [schema])
      : (await query).filter(
          row => parseJson(row.product).spec.schema === schema,
        );
    return rows.map(fromRow);
  }

  /**
   * The registered products, other than `except`, that have a port with one
   * of these entity names (compared without case).
   */
  async findByPortNames(
    portNames: string[],
    except?: string,
  ): Promise<RegisteredDataProduct[]> {
    const wanted = portNames.map(lower);
    const query = this.knex<RegistryRow>(TABLE);
    if (except !== undefined) query.whereNot('name', except);
    const rows = this.isPostgres
      ? await query.whereRaw(
          `lower(jsonb_path_query_array(ports, '$[*].metadata.name')::text)::jsonb \\?| ?::text[]`,
          [wanted],
        )
      : (await query).filter(row =>
          parseJson(row.ports).some(port =>
            wanted.includes(lower(port.metadata.name)),
          ),
        );
    return rows.map(fromRow);
  }

  /**
   * The registered products, other than `except`, whose `spec.inputs` may
   * name one of these ports (by entity name): a superset, to check with the
   * parsed refs.
   */
  async findPossibleConsumers(
    portNames: string[],
    except: string,
  ): Promise<RegisteredDataProduct[]> {
    // Every way an input can spell a port of the default namespace.
    const spellings = portNames
      .map(lower)
      .flatMap(name => [
        name,
        `outputport:${name}`,
        `default/${name}`,
        `outputport:default/${name}`,
      ]);
    const query = this.knex<RegistryRow>(TABLE).whereNot('name', except);
    const rows = this.isPostgres
      ? await query.whereRaw(
          `lower((product #> '{spec,inputs}')::text)::jsonb \\?| ?::text[]`,
          [spellings],
        )
      : await query;
    return rows.map(fromRow);
  }

  /**
   * Inserts or replaces a product. Returns whether it was new. The first
   * registration time is kept on update.
   */
  async upsert(
    entry: DataProductRegistration & {
      status: DataProductRegistryStatus;
      /** Why the warehouse does not show it provisioned. */
      error?: string;
      registeredBy?: string;
    },
    guard?: RegistryWriteGuard,
  ): Promise<DataProductRegistrationResult> {
    const [result] = await this.upsertMany([entry], guard);
    return result;
  }

  /**
   * Inserts or replaces many products (distinct names) in one transaction,
   * with one change each; resolves with each outcome in the order given.
   */
  async upsertMany(
    entries: ReadonlyArray<
      DataProductRegistration & {
        status: DataProductRegistryStatus;
        error?: string;
        registeredBy?: string;
      }
    >,
    guard?: RegistryWriteGuard,
  ): Promise<DataProductRegistrationResult[]> {
    if (entries.length === 0) {
      return [];
    }
    const now = new Date();
    const names = entries.map(entry => entry.product.metadata.name);
    const { results, changes } = await this.knex.transaction(async tx => {
      await this.lockAndCheck(tx, guard);
      const rows: Array<RegistryRow & { inserted?: boolean }> = await tx(TABLE)
        .insert(
          entries.map(entry => ({
            name: entry.product.metadata.name,
            product: JSON.stringify(entry.product),
            ports: JSON.stringify(entry.ports),
            status: entry.status,
            error: entry.error ?? null,
            registered_by: entry.registeredBy ?? null,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict('name')
        .merge([
          'product',
          'ports',
          'status',
          'error',
          'registered_by',
          'updated_at',
        ])
        .returning(
          // PostgreSQL tells an insert from an update (xmax is 0 for a new row
          // version); the timestamps alone cannot within one millisecond.
          this.isPostgres
            ? ['*', this.knex.raw('(xmax = 0) AS inserted')]
            : ['*'],
        );
      const byName = new Map(rows.map(row => [row.name, row]));
      return {
        results: names.map(name => {
          const row = byName.get(name)!;
          return {
            created:
              row.inserted ?? toIso(row.created_at) === toIso(row.updated_at),
            item: fromRow(row),
          };
        }),
        // Every registration is a change, also one that changes nothing: a
        // product unregistered in the catalog is published again by it.
        changes: await this.recordChanges(tx, names, 'upsert', now),
      };
    });
    for (const change of changes) {
      await this.announce(change);
    }
    return results;
  }

  /** Deletes a product; returns whether it existed. */
  async delete(name: string): Promise<boolean> {
    const change = await this.knex.transaction(async tx => {
      await this.lockAndCheck(tx);
      const count = await tx(TABLE).where({ name }).delete();
      return count > 0
        ? await this.recordChange(tx, name, 'delete', new Date())
        : undefined;
    });
    if (!change) {
      return false;
    }
    await this.announce(change);
    return true;
  }

  /**
   * Takes the registry's write lock (PostgreSQL: the change feed's advisory
   * lock, held to the commit, so writers take turns and a check below sees
   * every write committed before it), then refuses with a ConflictError when
   * a guarded product is no longer as it was authorized.
   */
  private async lockAndCheck(
    tx: Knex.Transaction,
    guard?: RegistryWriteGuard,
  ): Promise<void> {
    if (this.isPostgres) {
      await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [CHANGE_LOCK]);
    }
    if (!guard || guard.size === 0) {
      return;
    }
    const rows: Array<Pick<RegistryRow, 'name' | 'product'>> = await tx(TABLE)
      .whereIn('name', [...guard.keys()])
      .select('name', 'product');
    const owners = new Map(
      rows.map(row => [row.name, parseJson(row.product).spec.owner ?? null]),
    );
    const changed = [...guard].filter(([name, owner]) =>
      owner === null ? owners.has(name) : owners.get(name) !== owner,
    );
    if (changed.length > 0) {
      throw new ConflictError(
        `Data product ${changed
          .map(([name]) => name)
          .join(
            ', ',
          )} was registered, removed or given another owner while this registration was checked; nothing was registered. Send it again.`,
      );
    }
  }

  private async recordChange(
    tx: Knex.Transaction,
    name: string,
    op: DataProductRegistryChangeOp,
    changedAt: Date,
  ): Promise<DataProductRegistryEventPayload> {
    if (this.isPostgres) {
      // Writers take this lock first (lockAndCheck); taking it again in the
      // statement that draws the id keeps the id order the commit order for
      // any writer that did not. The CTE is materialized, so the lock is
      // taken before the id is drawn.
      const { rows } = await tx.raw(
        `WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext(?)))
         INSERT INTO ?? (name, op, changed_at)
         SELECT ?::text, ?::text, ?::timestamptz FROM locked
         RETURNING id`,
        [CHANGE_LOCK, CHANGES, name, op, changedAt],
      );
      return { id: Number(rows[0].id), name, op };
    }
    const [row] = await tx(CHANGES)
      .insert({ name, op, changed_at: changedAt })
      .returning('id');
    return { id: Number(typeof row === 'object' ? row.id : row), name, op };
  }

  /** `recordChange` for many products at once: one statement, ids in the order given. */
  private async recordChanges(
    tx: Knex.Transaction,
    names: string[],
    op: DataProductRegistryChangeOp,
    changedAt: Date,
  ): Promise<DataProductRegistryEventPayload[]> {
    if (!this.isPostgres) {
      const changes = [];
      for (const name of names) {
        changes.push(await this.recordChange(tx, name, op, changedAt));
      }
      return changes;
    }
    const { rows } = await tx.raw(
      `WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext(?)))
       INSERT INTO ?? (name, op, changed_at)
       SELECT u.name, ?::text, ?::timestamptz
         FROM locked, unnest(?::text[]) WITH ORDINALITY AS u(name, n)
        ORDER BY u.n
       RETURNING id, name`,
      [CHANGE_LOCK, CHANGES, op, changedAt, names],
    );
    return (rows as Array<{ id: string | number; name: string }>)
      .map(row => ({ id: Number(row.id), name: row.name, op }))
      .sort((a, b) => a.id - b.id);
  }

  // After the commit, so a subscriber that reads the feed finds the change.
  // The change is stored either way: a subscriber that misses the event finds
  // it in the feed on its next poll.
  private async announce(change: DataProductRegistryEventPayload) {
    const { events, logger } = this.options;
    try {
      await events?.publish({
        topic: DATA_PRODUCT_REGISTRY_TOPIC,
        eventPayload: change,
      });
    } catch (error) {
      logger?.warn(
        `Could not announce registry change ${change.id} (${change.op} ${change.name}) on ${DATA_PRODUCT_REGISTRY_TOPIC}; subscribers find it in the change feed: ${error}`,
      );
    }
  }

  // One snapshot for several reads (PostgreSQL: REPEATABLE READ, read only).
  private async readConsistently<T>(
    fn: (tx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    return this.knex.transaction(
      fn,
      this.isPostgres
        ? { isolationLevel: 'repeatable read', readOnly: true }
        : undefined,
    );
  }
}
