import { Knex } from 'knex';
import type { PortChecks } from '../qualitySpec';
import type { RefreshStrategy } from '../spec';
import type { ResolvedInput } from '../types';

/** The schema in the warehouse database where the portal keeps its own bookkeeping. */
export const METADATA_SCHEMA = 'dataproducts_meta';

/** A product the portal provisioned. */
export interface ProductRow {
  product: string;
  schema_name: string;
  role_name: string;
  description: string | null;
  /** The product's own build timeout, in milliseconds; null for the default. */
  build_timeout_ms: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A port the portal built. */
export interface PortRow {
  product: string;
  port: string;
  port_type: 'postgres-table' | 'postgres-view';
  reader_role: string;
  definition_hash: string;
  /** The compiled SELECT the port is built from. */
  build_sql: string;
  /** The model as written (consumer-aligned ports), checked again by every refresh. */
  model_text: string | null;
  /** The declared inputs the model was checked against; null before they were recorded. */
  model_inputs: ResolvedInput[] | null;
  /** Table ports: how a rebuild replaces the rows. */
  refresh_strategy: RefreshStrategy;
  /** The declared constraints and quality rules, checked by every build; null without any. */
  quality_checks: PortChecks | null;
  /** The declared columns: `[{ name, type (normalized), description }]`. */
  columns: Array<{ name: string; type: string; description?: string }>;
  description: string | null;
  /** `schema.table` of a source-aligned port's operational table. */
  source_table: string | null;
  row_count: string | null;
  last_built_at: Date | null;
}

/** A reader grant: `consumer` holds the reader role of `product`.`port`. */
export interface GrantRow {
  product: string;
  port: string;
  consumer: string;
  granted_at: Date;
}

/** Typed access to the metadata tables inside a transaction. */
export class Metadata {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  product(product: string): Promise<ProductRow | undefined> {
    return this.db<ProductRow>(`${METADATA_SCHEMA}.products`)
      .where({ product })
      .first();
  }

  productBySchema(schema: string): Promise<ProductRow | undefined> {
    return this.db<ProductRow>(`${METADATA_SCHEMA}.products`)
      .where({ schema_name: schema })
      .first();
  }

  ports(product: string): Promise<PortRow[]> {
    return this.db<PortRow>(`${METADATA_SCHEMA}.ports`)
      .where({ product })
      .orderBy('port');
  }

  port(product: string, port: string): Promise<PortRow | undefined> {
    return this.db<PortRow>(`${METADATA_SCHEMA}.ports`)
      .where({ product, port })
      .first();
  }

  /** Grants on this product's ports. */
  grantsOn(product: string): Promise<GrantRow[]> {
    return this.db<GrantRow>(`${METADATA_SCHEMA}.grants`)
      .where({ product })
      .orderBy(['port', 'consumer']);
  }

  /** Grants this product holds on other products' ports. */
  grantsHeldBy(consumer: string): Promise<GrantRow[]> {
    return this.db<GrantRow>(`${METADATA_SCHEMA}.grants`)
      .where({ consumer })
      .orderBy(['product', 'port']);
  }

  async insertProduct(row: {
    product: string;
    schema_name: string;
    role_name: string;
    description: string | null;
  }): Promise<void> {
    await this.db(`${METADATA_SCHEMA}.products`).insert(row);
  }

  async updateBuildTimeout(
    product: string,
    buildTimeoutMs: number | null,
  ): Promise<void> {
    await this.db(`${METADATA_SCHEMA}.products`)
      .where({ product })
      .update({
        build_timeout_ms: buildTimeoutMs,
        updated_at: this.db.fn.now(),
      });
  }

  async updateProductDescription(
    product: string,
    description: string | null,
  ): Promise<void> {
    await this.db(`${METADATA_SCHEMA}.products`)
      .where({ product })
      .update({ description, updated_at: this.db.fn.now() });
  }

  async upsertPort(row: Omit<PortRow, 'last_built_at'>): Promise<void> {
    await this.db(`${METADATA_SCHEMA}.ports`)
      .insert({
        ...row,
        columns: JSON.stringify(row.columns),
        model_inputs:
          row.model_inputs === null ? null : JSON.stringify(row.model_inputs),
        quality_checks:
          row.quality_checks === null
            ? null
            : JSON.stringify(row.quality_checks),
        last_built_at: this.db.fn.now(),
      })
      .onConflict(['product', 'port'])
      .merge();
  }

  async markBuilt(product: string, port: string, rowCount: number) {
    await this.db(`${METADATA_SCHEMA}.ports`)
      .where({ product, port })
      .update({ row_count: rowCount, last_built_at: this.db.fn.now() });
  }

  async deletePort(product: string, port: string): Promise<void> {
    await this.db(`${METADATA_SCHEMA}.quality_builds`)
      .where({ product, port })
      .delete();
    await this.db(`${METADATA_SCHEMA}.ports`).where({ product, port }).delete();
  }

  async insertGrant(product: string, port: string, consumer: string) {
    await this.db(`${METADATA_SCHEMA}.grants`)
      .insert({ product, port, consumer })
      .onConflict(['product', 'port', 'consumer'])
      .ignore();
  }

  async deleteGrant(product: string, port: string, consumer: string) {
    await this.db(`${METADATA_SCHEMA}.grants`)
      .where({ product, port, consumer })
      .delete();
  }

  async deleteProduct(product: string): Promise<void> {
    await this.db(`${METADATA_SCHEMA}.quality_builds`).where({ product }).delete();
    await this.db(`${METADATA_SCHEMA}.grants`).where({ product }).delete();
    await this.db(`${METADATA_SCHEMA}.products`).where({ product }).delete();
  }
}
