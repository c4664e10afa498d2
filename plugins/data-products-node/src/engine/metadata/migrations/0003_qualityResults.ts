import { MetadataMigration } from './types';

/**
 * What builds check besides columns: each port's declared constraints and
 * quality rules (so that refreshes check them too), and the results of the
 * checks of each build, passed or failed. `quality_builds` keeps the last 30
 * builds of each port (older ones are deleted as new ones are recorded);
 * their results go with them.
 */
export const qualityResults: MetadataMigration = {
  version: 3,
  name: 'constraints and quality rules of ports, the results of their checks',
  async up(trx, schema) {
    await trx.raw(`
      ALTER TABLE ${schema}.ports
        ADD COLUMN IF NOT EXISTS quality_checks jsonb`);
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${schema}.quality_builds (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        product text NOT NULL,
        port text NOT NULL,
        checked_at timestamptz NOT NULL DEFAULT now(),
        outcome text NOT NULL,
        row_count bigint NOT NULL
      )`);
    await trx.raw(`
      CREATE INDEX IF NOT EXISTS quality_builds_port_idx
        ON ${schema}.quality_builds (product, port, id DESC)`);
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${schema}.quality_results (
        build_id bigint NOT NULL REFERENCES ${schema}.quality_builds (id) ON DELETE CASCADE,
        rule text NOT NULL,
        kind text NOT NULL,
        details jsonb NOT NULL,
        value double precision,
        passed boolean NOT NULL,
        PRIMARY KEY (build_id, rule)
      )`);
  },
};
