import type { Knex } from 'knex';
import { SOURCE_SCHEMA, SOURCE_TABLES } from './sourceTables';

/** Options for {@link seedSourceData}. */
export interface SeedOptions {
  /** How many customers to generate (default 1,000). Orders and shipments scale with it. */
  customers?: number;
  /** Empty and refill the tables even when they already hold data. */
  reset?: boolean;
}

/** What {@link seedSourceData} did. */
export interface SeedResult {
  /** False when the tables already held data and `reset` was not asked for. */
  loaded: boolean;
  customers: number;
  orders: number;
  shipments: number;
}

/** The default number of generated customers. */
export const DEFAULT_CUSTOMERS = 1000;

/** The largest scale the generator accepts. */
export const MAX_CUSTOMERS = 50_000_000;

const FIRST_NAMES = [
  'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Lucas', 'Mia', 'Mateo',
  'Amelia', 'Levi', 'Harper', 'Ethan', 'Evelyn', 'Leo', 'Aria', 'Oliver', 'Luna', 'James',
  'Chloe', 'Henry', 'Ella', 'Jack', 'Nora', 'Aiden', 'Zoe', 'Samuel', 'Lily', 'David',
  'Hannah', 'Joseph', 'Layla', 'Daniel', 'Grace', 'Felix', 'Ines', 'Jonas', 'Sofia', 'Hugo',
];
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Martinez', 'Lopez',
  'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White',
  'Harris', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Scott', 'Green',
  'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans',
];

// Deterministic pseudo-randomness: PostgreSQL's own hash of (row key, stream),
// the same on every run, with no per-row round trips.
const hash = (key: string, stream: number) =>
  `abs(hashint8extended((${key})::bigint, ${stream}))`;

const sqlArray = (values: string[]) =>
  `ARRAY[${values.map(v => `'${v.replace(/'/g, "''")}'`).join(',')}]`;

const t = (name: string) => `"${SOURCE_SCHEMA}"."${name}"`;

function createTableSql(): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS "${SOURCE_SCHEMA}"`,
    ...SOURCE_TABLES.flatMap(table => [
      `CREATE TABLE IF NOT EXISTS ${t(table.name)} (${table.columns
        .map(c => `"${c.name}" ${c.type}${c.primaryKey ? ' PRIMARY KEY' : ''}`)
        .join(', ')})`,
      `COMMENT ON TABLE ${t(table.name)} IS '${table.description.replace(/'/g, "''")}'`,
      ...table.columns.map(
        c =>
          `COMMENT ON COLUMN ${t(table.name)}."${c.name}" IS '${c.description.replace(/'/g, "''")}'`,
      ),
    ]),
  ];
}

const LAST_DAY = `DATE '2025-06-30'`;

const INSERT_CUSTOMERS = `
INSERT INTO ${t('crm_customers')} (id, first_name, last_name, email, signup_date)
SELECT i, f, l,
       lower(f || '.' || l || '.' || i || '@example.com'),
       DATE '2021-01-01' + (${hash('i', 3)} % 1461)::int
FROM generate_series(1, ?::int) AS i,
LATERAL (SELECT (${sqlArray(FIRST_NAMES)})[1 + ${hash('i', 1)} % ${FIRST_NAMES.length}] AS f,
                (${sqlArray(LAST_NAMES)})[1 + ${hash('i', 2)} % ${LAST_NAMES.length}] AS l) AS names`;

// About 15% of customers never order; the others place one to four orders.
const INSERT_ORDERS = `
INSERT INTO ${t('erp_orders')} (order_id, customer_id, order_date, total_amount)
SELECT row_number() OVER (ORDER BY c.id, n)::int,
       c.id,
       c.signup_date + (${hash('c.id::bigint * 8 + n', 5)} % ((${LAST_DAY} - c.signup_date) + 1))::int,
       round(5 + (${hash('c.id::bigint * 8 + n', 6)} % 49500) / 100.0, 2)
FROM ${t('crm_customers')} AS c,
LATERAL generate_series(1, CASE WHEN ${hash('c.id', 4)} % 100 < 15 THEN 0
                               ELSE 1 + ${hash('c.id', 7)} % 4 END) AS n`;

// About 12% of orders have not shipped yet; a shipment never leaves before its order.
const INSERT_SHIPMENTS = `
INSERT INTO ${t('wms_shipments')} (shipment_id, order_ref, shipped_date, delivery_status)
SELECT row_number() OVER (ORDER BY o.order_id)::int,
       o.order_id,
       o.order_date + (${hash('o.order_id', 9)} % 6)::int,
       CASE WHEN ${hash('o.order_id', 10)} % 100 < 70 THEN 'Delivered'
            WHEN ${hash('o.order_id', 10)} % 100 < 90 THEN 'In Transit'
            ELSE 'Shipped' END
FROM ${t('erp_orders')} AS o
WHERE ${hash('o.order_id', 8)} % 100 >= 12`;

async function count(trx: Knex, table: string): Promise<number> {
  const { rows } = await trx.raw(`SELECT count(*)::bigint AS n FROM ${t(table)}`);
  return Number(rows[0].n);
}

/**
 * Creates the `sources` schema and its three tables when missing and fills
 * them with the deterministic scenario data: the same options always give the
 * same rows. Runs in one transaction and touches nothing outside `sources`.
 */
export async function seedSourceData(
  knex: Knex,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const customers = options.customers ?? DEFAULT_CUSTOMERS;
  if (!Number.isInteger(customers) || customers < 1 || customers > MAX_CUSTOMERS) {
    throw new Error(
      `customers must be a whole number from 1 to ${MAX_CUSTOMERS}, got ${options.customers}`,
    );
  }
  return knex.transaction(async trx => {
    // Two seeders at once (two replicas starting together) load the data once.
    await trx.raw(`SELECT pg_advisory_xact_lock(hashtext('dataproducts:sources'))`);
    for (const statement of createTableSql()) {
      await trx.raw(statement);
    }
    if (!options.reset && (await count(trx, 'crm_customers')) > 0) {
      return {
        loaded: false,
        customers: await count(trx, 'crm_customers'),
        orders: await count(trx, 'erp_orders'),
        shipments: await count(trx, 'wms_shipments'),
      };
    }
    await trx.raw(
      `TRUNCATE ${SOURCE_TABLES.map(table => t(table.name)).join(', ')}`,
    );
    await trx.raw(INSERT_CUSTOMERS, [customers]);
    await trx.raw(INSERT_ORDERS);
    await trx.raw(INSERT_SHIPMENTS);
    for (const table of SOURCE_TABLES) {
      await trx.raw(`ANALYZE ${t(table.name)}`);
    }
    return {
      loaded: true,
      customers: await count(trx, 'crm_customers'),
      orders: await count(trx, 'erp_orders'),
      shipments: await count(trx, 'wms_shipments'),
    };
  });
}
