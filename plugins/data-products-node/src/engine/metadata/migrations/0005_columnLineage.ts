import { MetadataMigration } from './types';

/**
 * The column lineage of each port's builds. `column_lineage` holds the
 * lineage of each port's latest successful build, one row per output column
 * and input column it derives from, indexed both ways so that a walk
 * upstream (by port and column) and downstream (by input port and column)
 * reads an index per hop. `column_lineage_builds` keeps what each build
 * published, the last 20 builds of each port (older ones are deleted as new
 * ones are recorded). Both go with their port. Ports built before have no
 * lineage: their next build records it.
 */
export const columnLineage: MetadataMigration = {
  version: 5,
  name: 'column lineage of the latest build of each port, and of its last builds',
  async up(trx, schema) {
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${schema}.column_lineage_builds (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        product text NOT NULL,
        port text NOT NULL,
        port_ref text NOT NULL,
        built_at timestamptz NOT NULL DEFAULT now(),
        lineage jsonb NOT NULL,
        FOREIGN KEY (product, port) REFERENCES ${schema}.ports (product, port) ON DELETE CASCADE
      )`);
    await trx.raw(`
      CREATE INDEX IF NOT EXISTS column_lineage_builds_port_idx
        ON ${schema}.column_lineage_builds (product, port, id DESC)`);
    await trx.raw(`
      CREATE TABLE IF NOT EXISTS ${schema}.column_lineage (
        product text NOT NULL,
        port text NOT NULL,
        port_ref text NOT NULL,
        column_name text NOT NULL,
        input_product text,
        input_port text,
        input_ref text,
        input_relation text NOT NULL,
        input_field text NOT NULL,
        transformations jsonb NOT NULL,
        build_id bigint NOT NULL REFERENCES ${schema}.column_lineage_builds (id) ON DELETE CASCADE,
        PRIMARY KEY (product, port, column_name, input_relation, input_field),
        FOREIGN KEY (product, port) REFERENCES ${schema}.ports (product, port) ON DELETE CASCADE
      )`);
    await trx.raw(`
      CREATE INDEX IF NOT EXISTS column_lineage_input_idx
        ON ${schema}.column_lineage (input_product, input_port, input_field)`);
  },
};
