import type {
  DataProductEntityV1alpha1,
  DataProductRegistration,
  DataProductRegistrationResult,
  DataProductRegistryStatus,
  OutputPortEntityV1alpha1,
  RegisteredDataProduct,
} from '@dataproducts/plugin-data-products-common';
import type { Knex } from 'knex';

// Made by the package's migrations (see migrations/).
const TABLE = 'data_product_registry';

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

/**
 * Stores self-service data products in the plugin's own database, one row per
 * product, so every backend replica sharing the database sees the same set.
 */
export class RegistryStore {
  /** A store on the registry table, which the plugin's migrations create. */
  constructor(private readonly knex: Knex) {}

  /** All registered products, ordered by name. */
  async list(): Promise<RegisteredDataProduct[]> {
    const rows = await this.knex<RegistryRow>(TABLE).select().orderBy('name');
    return rows.map(fromRow);
  }

  /** One product by entity name, or undefined. */
  async get(name: string): Promise<RegisteredDataProduct | undefined> {
    const row = await this.knex<RegistryRow>(TABLE).where({ name }).first();
    return row ? fromRow(row) : undefined;
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
  ): Promise<DataProductRegistrationResult> {
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
