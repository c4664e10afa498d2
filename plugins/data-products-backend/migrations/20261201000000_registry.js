// @ts-check

/**
 * The registry of self-service data products: one row per product.
 *
 * Before migrations the plugin created this table itself when it started, with
 * these columns. On such a database the table is kept as it is, rows and all.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (await knex.schema.hasTable('data_product_registry')) {
    return;
  }
  await knex.schema.createTable('data_product_registry', table => {
    table.string('name', 63).primary().notNullable();
    table.jsonb('product').notNullable();
    table.jsonb('ports').notNullable();
    table.string('status', 20).notNullable();
    table.text('error').nullable();
    table.string('registered_by').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('data_product_registry');
};
