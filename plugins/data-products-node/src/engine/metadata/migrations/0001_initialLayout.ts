import { MetadataMigration } from './types';

/**
 * The layout the portal had before the metadata schema was versioned:
 * products, their ports and reader grants. Every statement is idempotent, so
 * a warehouse that already has these tables keeps them and their rows.
 */
export const initialLayout: MetadataMigration = {
  version: 1,
  name: 'products, ports and grants',
  async up(trx, schema) {
    await trx.raw(`REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`);
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${schema}.products (
        product text PRIMARY KEY,
        schema_name text NOT NULL UNIQUE,
        role_name text NOT NULL UNIQUE,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${schema}.ports (
        product text NOT NULL REFERENCES ${schema}.products (product) ON DELETE CASCADE,
        port text NOT NULL,
        port_type text NOT NULL,
        reader_role text NOT NULL UNIQUE,
        definition_hash text NOT NULL,
        build_sql text NOT NULL,
        model_text text,
        columns jsonb NOT NULL,
        description text,
        source_table text,
        row_count bigint,
        last_built_at timestamptz,
        PRIMARY KEY (product, port)
      )`);
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${schema}.grants (
        product text NOT NULL,
        port text NOT NULL,
        consumer text NOT NULL REFERENCES ${schema}.products (product) ON DELETE CASCADE,
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (product, port, consumer),
        FOREIGN KEY (product, port) REFERENCES ${schema}.ports (product, port) ON DELETE CASCADE
      )`);
  },
};
