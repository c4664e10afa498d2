import type { Knex } from 'knex';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';

const TABLE = 'data_product_registry';

/** The state the registry records for a product's last provisioning. */
export type RegistryStatus = 'provisioned' | 'failed';

/** A self-service data product as the registry stores it. */
export interface RegisteredProduct {
  /** The DataProduct entity. */
  product: DataProductEntityV1alpha1;
  /** Its OutputPort entities. */
  ports: OutputPortEntityV1alpha1[];
  status: RegistryStatus;
  /** Why the last provisioning failed (only with status `failed`). */
  error?: string;
  /** The user entity ref of whoever registered the product last. */
  registeredBy?: string;
  /** ISO timestamp of the first registration. */
  createdAt: string;
  /** ISO timestamp of the last change. */
  updatedAt: string;
}

interface RegistryRow {
  name: string;
  product: DataProductEntityV1alpha1 | string;
  ports: OutputPortEntityV1alpha1[] | string;
  status: RegistryStatus;
  error: string | null;
  registered_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const parseJson = <T>(value: T | string): T =>
  typeof value === 'string' ? JSON.parse(value) : value;

const toIso = (value: Date | string) => new Date(value).toISOString();

function fromRow(row: RegistryRow): RegisteredProduct {
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

/**
 * Stores self-service data products in the plugin's own database, one row per
 * product, so every backend replica sharing the database sees the same set.
 */
export class RegistryStore {
  /** Creates the registry table when it is missing and returns a store on it. */
  static async create(knex: Knex): Promise<RegistryStore> {
    // Replicas starting together must not race on CREATE TABLE: serialise
    // the check with a transaction-scoped advisory lock.
    const isPostgres = String(knex.client.config.client).startsWith('pg');
    await knex.transaction(async tx => {
      if (isPostgres) {
        await tx.raw(`SELECT pg_advisory_xact_lock(hashtext(?))`, [TABLE]);
      }
      if (!(await tx.schema.hasTable(TABLE))) {
        await tx.schema.createTable(TABLE, table => {
          table.string('name', 63).primary().notNullable();
          table.jsonb('product').notNullable();
          table.jsonb('ports').notNullable();
          table.string('status', 20).notNullable();
          table.text('error').nullable();
          table.string('registered_by').nullable();
          table.timestamp('created_at', { useTz: true }).notNullable();
          table.timestamp('updated_at', { useTz: true }).notNullable();
        });
      }
    });
    return new RegistryStore(knex);
  }

  private constructor(private readonly knex: Knex) {}

  /** All registered products, ordered by name. */
  async list(): Promise<RegisteredProduct[]> {
    const rows = await this.knex<RegistryRow>(TABLE).select().orderBy('name');
    return rows.map(fromRow);
  }

  /** One product by entity name, or undefined. */
  async get(name: string): Promise<RegisteredProduct | undefined> {
    const row = await this.knex<RegistryRow>(TABLE).where({ name }).first();
    return row ? fromRow(row) : undefined;
  }

  /**
   * Inserts or replaces a product. Returns whether it was new. The first
   * registration time is kept on update.
   */
  async upsert(entry: {
    product: DataProductEntityV1alpha1;
    ports: OutputPortEntityV1alpha1[];
    status: RegistryStatus;
    error?: string;
    registeredBy?: string;
  }): Promise<{ created: boolean; item: RegisteredProduct }> {
    const now = new Date();
    const isPostgres = String(this.knex.client.config.client).startsWith('pg');
    const [row]: Array<RegistryRow & { inserted?: boolean }> = await this.knex(
      TABLE,
    )
      .insert({
        name: entry.product.metadata.name,
        product: JSON.stringify(entry.product),
        ports: JSON.stringify(entry.ports),
        status: entry.status,
        error: entry.error ?? null,
        registered_by: entry.registeredBy ?? null,
        created_at: now,
        updated_at: now,
      })
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
        isPostgres ? ['*', this.knex.raw('(xmax = 0) AS inserted')] : ['*'],
      );
    return {
      created: row.inserted ?? toIso(row.created_at) === toIso(row.updated_at),
      item: fromRow(row),
    };
  }

  /** Deletes a product; returns whether it existed. */
  async delete(name: string): Promise<boolean> {
    const count = await this.knex(TABLE).where({ name }).delete();
    return count > 0;
  }
}
