// Before `./portal demo` changes anything: are the demo's schemas and entity
// names free? A product made by hand with the suggested schema sales_crm, or
// a catalog file that defines sales-crm-customers, would make a task fail
// midway. The registry, the warehouse's bookkeeping (dataproducts_meta) and
// the catalog each say who holds what; the demo names every holder and how
// to go on, and stops before its first task.
import pg from 'pg';

const METADATA_SCHEMA = 'dataproducts_meta';
const REGISTRY_LOCATION = 'data-products-registry:';

/**
 * The conflicts between the demo's products and what exists: a schema held by
 * another product or made outside the portal, a demo product name the
 * warehouse knows with another schema, a demo entity defined by another
 * catalog source. Pure: every input is data.
 *
 * @param {object} input
 * @param {Array<{ name: string, title: string, schema: string, entityNames: string[] }>} input.demo
 * @param {Array<{ name: string, schema: string, title?: string }>} input.registered the registry's products
 * @param {Array<{ product: string, schema: string }>} input.warehouseProducts the warehouse's products (dataproducts_meta)
 * @param {string[]} input.warehouseSchemas the demo schemas that exist in pg_namespace
 * @param {Array<{ ref: string, location?: string }>} input.catalogEntities the catalog's entities with a demo entity name
 * @returns {Array<{ demo: string, what: string, holder: string, deletable?: string }>}
 */
export function findConflicts({
  demo,
  registered,
  warehouseProducts,
  warehouseSchemas,
  catalogEntities,
}) {
  const demoNames = new Set(demo.map(d => d.name));
  const conflicts = [];
  for (const d of demo) {
    const holders = new Set();
    for (const other of registered) {
      if (other.schema === d.schema && !demoNames.has(other.name)) {
        holders.add(other.name);
        conflicts.push({
          demo: d.title,
          what: `schema ${d.schema}`,
          holder: `data product ${other.name}${
            other.title ? ` (${other.title})` : ''
          }, registered in the portal`,
          deletable: other.name,
        });
      }
    }
    for (const row of warehouseProducts) {
      if (
        row.schema === d.schema &&
        !demoNames.has(row.product) &&
        !holders.has(row.product)
      ) {
        holders.add(row.product);
        conflicts.push({
          demo: d.title,
          what: `schema ${d.schema}`,
          holder: `data product ${row.product} in the warehouse (not in the registry: a template run that did not finish, or a catalog file's product)`,
          deletable: row.product,
        });
      }
      if (row.product === d.name && row.schema !== d.schema) {
        conflicts.push({
          demo: d.title,
          what: `name ${d.name}`,
          holder: `the warehouse's product ${d.name}, whose schema is ${row.schema}, not ${d.schema}`,
          deletable: d.name,
        });
      }
    }
    const portalMade = warehouseProducts.some(row => row.schema === d.schema);
    if (warehouseSchemas.includes(d.schema) && !portalMade) {
      conflicts.push({
        demo: d.title,
        what: `schema ${d.schema}`,
        holder:
          'a schema the portal did not make (created in PostgreSQL directly)',
      });
    }
    for (const entity of catalogEntities) {
      const name = entity.ref.split('/')[1];
      if (
        d.entityNames.includes(name) &&
        entity.location !== `${REGISTRY_LOCATION}${d.name}`
      ) {
        conflicts.push({
          demo: d.title,
          what: `entity ${entity.ref}`,
          holder: `the catalog location ${entity.location ?? '(unknown)'}`,
        });
      }
    }
  }
  return conflicts;
}

/** What to print for the conflicts: who holds what, and how to go on. */
export function explainConflicts(conflicts, portalUrl) {
  const lines = [
    'The demo cannot run: what it creates is held by something else.',
    ...conflicts.map(c => `  ${c.demo}: ${c.what} is held by ${c.holder}`),
    '',
    'How to go on:',
  ];
  const deletable = [...new Set(conflicts.flatMap(c => c.deletable ?? []))];
  for (const name of deletable) {
    lines.push(
      `  - delete ${name} from its page (${portalUrl}/catalog/default/dataproduct/${name}, Delete data product in the menu), or call DELETE ${portalUrl}/api/data-products/products/default/${name}`,
    );
  }
  if (conflicts.some(c => !c.deletable)) {
    lines.push(
      '  - remove the catalog location that defines those entities, or drop the schema in PostgreSQL if nothing needs it',
    );
  }
  lines.push(
    '  - or run the demo against another warehouse (WAREHOUSE_DATABASE, POSTGRES_*)',
    'then run ./portal demo again. Nothing was changed.',
  );
  return lines.join('\n');
}

/** The demo's schemas that exist, and the warehouse's products with any of them or any demo name. */
export async function readWarehouse(connection, demo) {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    const schemas = demo.map(d => d.schema);
    const { rows: present } = await client.query(
      'SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY($1)',
      [schemas],
    );
    const { rows: meta } = await client.query(
      `SELECT 1 FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = 'products'`,
      [METADATA_SCHEMA],
    );
    const warehouseProducts =
      meta.length === 0
        ? []
        : (
            await client.query(
              `SELECT product, schema_name AS schema FROM ${METADATA_SCHEMA}.products
                WHERE schema_name = ANY($1) OR product = ANY($2) ORDER BY product`,
              [schemas, demo.map(d => d.name)],
            )
          ).rows;
    return {
      warehouseSchemas: present.map(row => row.nspname),
      warehouseProducts,
    };
  } finally {
    await client.end();
  }
}
