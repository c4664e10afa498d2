// @ts-check

/**
 * Access requests and the history of every change to a product.
 *
 * A port has at most one open request (requested or granted) per consumer: a
 * partial unique index says so, so that two requests sent at once cannot both
 * be stored, and revoking one request never takes away access another grants.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('data_product_access_requests', table => {
    table.uuid('id').primary().notNullable();
    table.text('port').notNullable();
    table.text('product').notNullable();
    table.text('consumer').notNullable();
    // The names the warehouse knows the product, its port and the consumer by
    // (entity names as written, spec.name of the port), read from the catalog
    // when the request was made: access is revoked by them even once the
    // entities left the catalog.
    table.text('product_name').notNullable();
    table.text('port_name').notNullable();
    table.text('consumer_name').notNullable();
    table.text('requester').notNullable();
    table.text('purpose').notNullable();
    table.timestamp('until', { useTz: true }).nullable();
    table.string('status', 20).notNullable();
    table.text('decided_by').nullable();
    table.text('decision_note').nullable();
    table.text('outcome').nullable();
    table.timestamp('reminded_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['product'], 'data_product_access_requests_product_idx');
    table.index(['port'], 'data_product_access_requests_port_idx');
    table.index(['requester'], 'data_product_access_requests_requester_idx');
    table.index(['status', 'until'], 'data_product_access_requests_due_idx');
  });
  await knex.schema.raw(
    `CREATE UNIQUE INDEX data_product_access_requests_open_idx
       ON data_product_access_requests (port, consumer)
       WHERE status IN ('requested', 'granted')`,
  );
  // Events are listed in the order they were stored: by their sequence id.
  await knex.schema.createTable('data_product_events', table => {
    table.bigIncrements('id').primary();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('actor').notNullable();
    table.string('action', 20).notNullable();
    table.text('product').notNullable();
    table.text('port').nullable();
    table.text('consumer').nullable();
    table.string('outcome', 10).notNullable();
    table.text('detail').nullable();
    table.index(['product', 'at'], 'data_product_events_product_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('data_product_events');
  await knex.schema.dropTable('data_product_access_requests');
};
