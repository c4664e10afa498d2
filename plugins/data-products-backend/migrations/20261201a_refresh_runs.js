// @ts-check

/**
 * Scheduled and manual refreshes of table ports: one row per attempt, and
 * the freshness each port was last seen in, so that owners are told when a
 * port turns stale (once, on the change) rather than on every check.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('data_product_refresh_runs', table => {
    table.bigIncrements('id').primary();
    // Entity refs of the port and its product, and the names the warehouse
    // knows them by, as the catalog said when the run started.
    table.text('port').notNullable();
    table.text('product').notNullable();
    table.text('product_name').notNullable();
    table.text('port_name').notNullable();
    table.string('trigger', 10).notNullable();
    table.text('actor').notNullable();
    table.integer('attempt').notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.string('outcome', 10).notNullable();
    table.bigInteger('rows').nullable();
    table.text('error').nullable();
    table.index(['port', 'id'], 'data_product_refresh_runs_port_idx');
    table.index(['started_at'], 'data_product_refresh_runs_started_idx');
  });
  await knex.schema.createTable('data_product_port_freshness', table => {
    table.text('port').primary();
    table.string('state', 10).notNullable();
    table.timestamp('since', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('data_product_port_freshness');
  await knex.schema.dropTable('data_product_refresh_runs');
};
