// @ts-check

/**
 * The registry's change feed, and indexes for the registry's lookups.
 *
 * `data_product_registry_changes` holds one row per committed registration
 * (`upsert`) or removal (`delete`), written in the same transaction as the
 * registry row, so that the catalog's entity provider (and anything else that
 * follows the registry) applies changes instead of re-reading every product.
 * Old rows are pruned by a scheduled task; the newest is always kept, so that
 * a client can tell a cursor older than the oldest kept change.
 *
 * The indexes answer "which product holds this schema", "which product has a
 * port of this name" and "which products read this port" without reading every
 * registered product: registering or removing one product stays cheap with
 * tens of thousands registered.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('data_product_registry_changes', table => {
    table.bigIncrements('id').primary();
    table.string('name', 63).notNullable();
    // `upsert` or `delete`.
    table.string('op', 10).notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
    table.index(['changed_at'], 'data_product_registry_changes_changed_idx');
  });
  if (!String(knex.client.config.client).startsWith('pg')) {
    return;
  }
  await knex.raw(
    `CREATE INDEX data_product_registry_schema_idx
       ON data_product_registry ((product #>> '{spec,schema}'))`,
  );
  // Lowercased, as the catalog compares entity names without case.
  await knex.raw(
    `CREATE INDEX data_product_registry_port_names_idx
       ON data_product_registry
       USING gin ((lower(jsonb_path_query_array(ports, '$[*].metadata.name')::text)::jsonb))`,
  );
  await knex.raw(
    `CREATE INDEX data_product_registry_inputs_idx
       ON data_product_registry
       USING gin ((lower((product #> '{spec,inputs}')::text)::jsonb))`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (String(knex.client.config.client).startsWith('pg')) {
    await knex.raw('DROP INDEX IF EXISTS data_product_registry_inputs_idx');
    await knex.raw('DROP INDEX IF EXISTS data_product_registry_port_names_idx');
    await knex.raw('DROP INDEX IF EXISTS data_product_registry_schema_idx');
  }
  await knex.schema.dropTable('data_product_registry_changes');
};
