// @ts-check

/**
 * The mesh index: every data product, output port and source Resource the
 * portal knows of, with the edges between them, kept in the plugin's own
 * database so that the explorer, lineage and the mesh view are answered by
 * indexed queries instead of walks over the catalog. It is a projection:
 * rebuilt from the registry and the catalog, never the source of truth.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('data_product_mesh_nodes', table => {
    // The lowercased entity ref, e.g. `dataproduct:default/sales-crm`.
    table.text('ref').primary();
    // `DataProduct`, `OutputPort`, `Resource` (a source) or another kind that
    // reads a port.
    table.text('kind').notNullable();
    table.text('namespace').notNullable();
    table.text('name').notNullable();
    table.text('title').nullable();
    table.text('description').nullable();
    // spec.type: the product's type (source-aligned, consumer-aligned, …),
    // the port's (table, view) or the Resource's.
    table.text('type').nullable();
    // Lowercased refs. For a port, `domain` is its product's domain and
    // `owner` its own owner or its product's.
    table.text('owner').nullable();
    table.text('domain').nullable();
    // For a port: the lowercased ref of its product.
    table.text('product').nullable();
    table.text('lifecycle').nullable();
    // What the explorer shows of the entity beyond the columns above (tags,
    // ports with their column names, registry status), as JSON.
    table.text('summary').notNullable().defaultTo('{}');
    // Lowercased text searched by the explorer: names, titles, descriptions,
    // tags, owner, domain, and for products their ports' and columns' names.
    table.text('search').notNullable().defaultTo('');
    // Where the node came from: `registry` or `catalog`.
    table.text('origin').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['kind', 'name'], 'data_product_mesh_nodes_kind_idx');
    table.index(['domain'], 'data_product_mesh_nodes_domain_idx');
    table.index(['owner'], 'data_product_mesh_nodes_owner_idx');
    table.index(['product'], 'data_product_mesh_nodes_product_idx');
  });
  await knex.schema.createTable('data_product_mesh_edges', table => {
    // Lowercased refs, in the direction data flows.
    table.text('source').notNullable();
    table.text('target').notNullable();
    // `exposes`: a product to its port; `feeds`: an input (a port or a
    // source) to the product that reads it.
    table.text('type').notNullable();
    // The node whose declaration made the edge (the product that declares
    // the input, or exposes the port), so that replacing a node's edges
    // never touches edges another node declared.
    table.text('declared_by').notNullable();
    table.primary(['source', 'target', 'type']);
    table.index(['target'], 'data_product_mesh_edges_target_idx');
    table.index(['declared_by'], 'data_product_mesh_edges_declared_idx');
  });
  // Bookkeeping of the index's syncs (e.g. the registry change last applied,
  // when the catalog was last read).
  await knex.schema.createTable('data_product_mesh_state', table => {
    table.text('key').primary();
    table.text('value').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('data_product_mesh_state');
  await knex.schema.dropTable('data_product_mesh_edges');
  await knex.schema.dropTable('data_product_mesh_nodes');
};
