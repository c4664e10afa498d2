// @ts-check

/**
 * Indexes for the explorer (`GET /explore`), all partial on data products,
 * which are the explorer's only rows (ports and sources make up most of the
 * mesh index and are never scanned for it):
 *
 * - one per sort key, on the exact expression the explorer orders by and
 *   the ref that breaks ties, so that a page, the first or one deep behind a
 *   cursor, reads its rows from the index instead of sorting every product;
 * - one per filter field, which answers the filter and lets the facet
 *   counts and the total be read from the index alone.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const sorts = {
    name: 'lower(coalesce(title, name))',
    domain: "coalesce(domain, '')",
    owner: "coalesce(owner, '')",
    lifecycle: "coalesce(lifecycle, '')",
    type: "coalesce(type, '')",
  };
  for (const [key, expression] of Object.entries(sorts)) {
    await knex.raw(
      `CREATE INDEX data_product_mesh_nodes_explore_sort_${key}_idx
         ON data_product_mesh_nodes ((${expression}), ref)
         WHERE kind = 'DataProduct'`,
    );
  }
  for (const column of ['domain', 'owner', 'lifecycle', 'type']) {
    await knex.raw(
      `CREATE INDEX data_product_mesh_nodes_explore_${column}_idx
         ON data_product_mesh_nodes (${column})
         WHERE kind = 'DataProduct'`,
    );
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const key of ['name', 'domain', 'owner', 'lifecycle', 'type']) {
    await knex.raw(
      `DROP INDEX IF EXISTS data_product_mesh_nodes_explore_sort_${key}_idx`,
    );
  }
  for (const column of ['domain', 'owner', 'lifecycle', 'type']) {
    await knex.raw(
      `DROP INDEX IF EXISTS data_product_mesh_nodes_explore_${column}_idx`,
    );
  }
};
