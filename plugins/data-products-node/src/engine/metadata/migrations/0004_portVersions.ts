import { MetadataMigration } from './types';

/**
 * What a plan's diff compares a port with besides `pg_catalog`: the contract
 * version and the column constraints (required, unique, primaryKey) last
 * applied; and the earlier major versions of ports kept readable under a
 * versioned name until no other product's view reads them. Ports applied
 * before have neither recorded: their next apply records them.
 */
export const portVersions: MetadataMigration = {
  version: 4,
  name: 'contract versions and constraints of ports, their kept major versions',
  async up(trx, schema) {
    await trx.raw(`
      ALTER TABLE ${schema}.ports
        ADD COLUMN IF NOT EXISTS contract_version text,
        ADD COLUMN IF NOT EXISTS contract_constraints jsonb`);
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${schema}.port_versions (
        product text NOT NULL REFERENCES ${schema}.products (product) ON DELETE CASCADE,
        port text NOT NULL,
        major integer NOT NULL,
        contract_version text NOT NULL,
        relation text NOT NULL,
        port_type text NOT NULL,
        columns jsonb NOT NULL,
        superseded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (product, port, major),
        UNIQUE (product, relation)
      )`);
  },
};
