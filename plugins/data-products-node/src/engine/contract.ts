import { Knex } from 'knex';
import {
  ColumnDrift,
  normalizeColumnType,
  WarehouseColumn,
} from '@dataproducts/plugin-data-products-common';

/** The columns of a table or view as PostgreSQL reports them, in order. */
export async function readColumns(
  db: Knex | Knex.Transaction,
  schema: string,
  relation: string,
): Promise<WarehouseColumn[]> {
  const result = await db.raw(
    `SELECT a.attname AS name,
            pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable,
            pg_catalog.col_description(a.attrelid, a.attnum) AS description
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    // By name, not to_regclass(): that needs USAGE on the schema, which an
    // admin that is not a superuser does not have.
    [schema, relation],
  );
  return result.rows.map(
    (r: {
      name: string;
      type: string;
      nullable: boolean;
      description: string | null;
    }) => ({
      name: r.name,
      type: r.type,
      nullable: r.nullable,
      ...(r.description ? { description: r.description } : {}),
    }),
  );
}

function normalized(type: string): string {
  try {
    return normalizeColumnType(type);
  } catch {
    return type;
  }
}

/**
 * Compares declared columns with actual ones: every missing, extra and
 * mistyped column, in declaration order (extra columns last).
 */
export function columnDrift(
  declared: Array<{ name: string; type: string }>,
  actual: Array<{ name: string; type: string }>,
): ColumnDrift[] {
  const drift: ColumnDrift[] = [];
  for (const column of declared) {
    const expected = normalized(column.type);
    const found = actual.find(a => a.name === column.name);
    if (!found) {
      drift.push({ column: column.name, kind: 'missing', expected });
    } else if (found.type !== expected) {
      drift.push({
        column: column.name,
        kind: 'type',
        expected,
        actual: found.type,
      });
    }
  }
  for (const column of actual) {
    if (!declared.some(d => d.name === column.name)) {
      drift.push({ column: column.name, kind: 'extra', actual: column.type });
    }
  }
  return drift;
}

/** One line per difference, for error messages. */
export function describeDrift(drift: ColumnDrift[]): string {
  return drift
    .map(d => {
      switch (d.kind) {
        case 'missing':
          return `  - missing column ${d.column} (declared ${d.expected})`;
        case 'extra':
          return `  - extra column ${d.column} (${d.actual}), not declared`;
        default:
          return `  - column ${d.column} is ${d.actual}, declared ${d.expected}`;
      }
    })
    .join('\n');
}
