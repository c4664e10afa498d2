import { Knex } from 'knex';
import { createWarehouseTestDatabases } from '../testUtils';
import { columnLineage } from './columnLineage';
import {
  check,
  demoModels,
  resolveDemoInput,
  useModelParser,
} from './__testUtils__/demoModels';
import {
  DEMO_INPUT_COLUMNS,
  demoInputColumns,
  LINEAGE_CORPUS,
} from './__testUtils__/lineageCorpus';
import { checkModel } from './checkModel';

useModelParser();

/**
 * The input columns PostgreSQL records that a view reads (pg_depend of its
 * rewrite rule), as `schema.table.column`.
 */
async function recordedDependencies(knex: Knex, sql: string): Promise<string[]> {
  const tx = await knex.transaction();
  try {
    await tx.raw('CREATE SCHEMA lineage_check');
    await tx.raw(`CREATE VIEW lineage_check.v AS ${sql}`);
    const { rows } = await tx.raw(`
      SELECT DISTINCT n.nspname || '.' || c.relname || '.' || a.attname AS field
      FROM pg_depend d
      JOIN pg_rewrite r ON r.oid = d.objid
      JOIN pg_class c ON c.oid = d.refobjid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE d.classid = 'pg_rewrite'::regclass
        AND r.ev_class = 'lineage_check.v'::regclass
        AND d.refobjsubid > 0
        AND c.oid <> 'lineage_check.v'::regclass
      ORDER BY 1`);
    return rows.map((row: { field: string }) => row.field);
  } finally {
    await tx.rollback();
  }
}

function lineageFields(tree: Parameters<typeof columnLineage>[0]): string[] {
  const lineage = columnLineage(tree, demoInputColumns);
  const fields = new Set<string>();
  for (const field of [
    ...lineage.columns.flatMap(column => column.inputFields),
    ...lineage.dataset,
  ]) {
    fields.add(`${field.relation.schema}.${field.relation.name}.${field.field}`);
  }
  return [...fields].sort();
}

describe('columnLineage against what PostgreSQL records for a view', () => {
  const databases = createWarehouseTestDatabases();
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(databases.eachSupportedId()[0][0]);
    for (const [relation, columns] of Object.entries(DEMO_INPUT_COLUMNS)) {
      const [schema] = relation.split('.');
      await knex.raw(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await knex.raw(
        `CREATE TABLE ${relation} (${columns
          .map(([name, type]) => `${name} ${type}`)
          .join(', ')})`,
      );
    }
  });

  afterAll(async () => {
    await knex?.destroy();
  });

  it("finds exactly the columns PostgreSQL records for the demo's customer_activity", async () => {
    const [demo] = demoModels();
    const checked = checkModel(demo.model, {
      portName: demo.portName,
      inputs: demo.inputs,
      resolve: resolveDemoInput,
    });
    expect(lineageFields(checked.tree)).toEqual(
      await recordedDependencies(knex, checked.sql),
    );
  });

  /**
   * PostgreSQL also records a column a sub-query or CTE selects and nothing
   * reads; no output derives from it, so the lineage leaves it out.
   */
  const SELECTED_BUT_UNREAD: Record<string, string[]> = {
    'a CTE with column names': ['sales_crm.customers.id'],
    'JOIN USING': ['logistics_wms.shipments.shipped_date'],
  };

  it.each(LINEAGE_CORPUS)(
    'finds exactly the recorded columns: %s',
    async (shape, model) => {
      const checked = check(model);
      expect(
        [...lineageFields(checked.tree), ...(SELECTED_BUT_UNREAD[shape] ?? [])].sort(),
      ).toEqual(await recordedDependencies(knex, checked.sql));
    },
  );
});
