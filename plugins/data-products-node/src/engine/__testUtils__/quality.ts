import { Knex } from 'knex';
import type {
  OutputPortColumn,
  OutputPortEntityV1alpha1,
  OutputPortQualityRule,
} from '@dataproducts/plugin-data-products-common';
import { loadDemo } from '../../testUtils';
import { ProvisionRequest } from '../types';

/** The columns of the `sources.<table>` a checked test product reads. */
export const PEOPLE_COLUMNS: OutputPortColumn[] = [
  { name: 'id', type: 'INTEGER' },
  { name: 'email', type: 'VARCHAR(100)' },
  { name: 'status', type: 'VARCHAR(20)' },
  { name: 'seen_at', type: 'TIMESTAMPTZ' },
];

/** One row of a people source table. */
export type PersonRow = {
  id: number | null;
  email: string | null;
  status: string | null;
  seen_at?: string;
};

/** Creates (or fills again) `sources.<table>` with `rows`. */
export async function seedPeople(
  knex: Knex,
  table: string,
  rows: PersonRow[],
): Promise<void> {
  await knex.raw(
    `CREATE TABLE IF NOT EXISTS sources.${table} (id integer, email varchar(100), status varchar(20), seen_at timestamptz)`,
  );
  await knex(`sources.${table}`).delete();
  if (rows.length) {
    await knex(`sources.${table}`).insert(
      rows.map(r => ({ seen_at: new Date().toISOString(), ...r })),
    );
  }
}

/** `count` good people: unique ids and emails, known statuses, seen now. */
export function goodPeople(count: number): PersonRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    email: `p${i + 1}@example.com`,
    status: i % 2 ? 'active' : 'inactive',
  }));
}

/**
 * A source-aligned product `name` (schema `name` with `_`) with one port
 * `people` reading `sources.<table>`, with the given column flags, quality
 * rules and port fields.
 */
export function peopleProduct(
  name: string,
  options: {
    table: string;
    columns?: Partial<Record<string, Partial<OutputPortColumn>>>;
    quality?: unknown[];
    spec?: Partial<OutputPortEntityV1alpha1['spec']>;
  },
): ProvisionRequest {
  const demo = loadDemo();
  const port = demo.ports[0];
  return {
    product: {
      ...demo.products[0],
      metadata: { name },
      spec: {
        ...demo.products[0].spec,
        schema: name.replace(/-/g, '_'),
        inputs: [],
      },
    },
    ports: [
      {
        ...port,
        metadata: { name: `${name}-people` },
        spec: {
          ...port.spec,
          dataProduct: name,
          name: 'people',
          source: `sources.${options.table}`,
          columns: PEOPLE_COLUMNS.map(c => ({
            ...c,
            ...options.columns?.[c.name],
          })),
          ...(options.quality
            ? { quality: options.quality as OutputPortQualityRule[] }
            : {}),
          ...options.spec,
        },
      },
    ],
    inputs: [],
  };
}

/** What a failed build must leave as it was: the relation's oid, kind, rows and constraints. */
export async function portSnapshot(knex: Knex, schema: string, name: string) {
  const relation = await knex.raw(
    `SELECT c.oid::text AS oid, c.relkind,
            (SELECT array_agg(conname::text ORDER BY conname) FROM pg_constraint WHERE conrelid = c.oid) AS constraints,
            (SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
              WHERE attrelid = c.oid AND attnum > 0 AND attnotnull AND NOT attisdropped) AS not_null,
            pg_get_viewdef(c.oid) AS definition
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ? AND c.relname = ?`,
    [schema, name],
  );
  const rows = await knex.raw(
    `SELECT * FROM "${schema}"."${name}" ORDER BY 1, 2`,
  );
  return { relation: relation.rows[0], rows: rows.rows };
}
