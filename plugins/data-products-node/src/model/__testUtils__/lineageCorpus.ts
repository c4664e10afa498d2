import { PhysicalRelation } from '../references';

/** The columns of the demo's inputs, as their contracts declare them. */
export const DEMO_INPUT_COLUMNS: Record<string, Array<[string, string]>> = {
  'sales_crm.customers': [
    ['id', 'integer'],
    ['first_name', 'varchar(50)'],
    ['last_name', 'varchar(50)'],
    ['email', 'varchar(100)'],
    ['signup_date', 'date'],
  ],
  'sales_erp.orders': [
    ['order_id', 'integer'],
    ['customer_id', 'integer'],
    ['order_date', 'date'],
    ['total_amount', 'numeric(10,2)'],
  ],
  'logistics_wms.shipments': [
    ['shipment_id', 'integer'],
    ['order_ref', 'integer'],
    ['shipped_date', 'date'],
    ['delivery_status', 'varchar(20)'],
  ],
};

/** The column names of a demo input relation. */
export function demoInputColumns(relation: PhysicalRelation): string[] {
  return (DEMO_INPUT_COLUMNS[`${relation.schema}.${relation.name}`] ?? []).map(
    ([name]) => name,
  );
}

const C = "{{ source('sales_crm_customers', 'customers') }}";
const O = "{{ source('sales_erp_orders', 'orders') }}";
const S = "{{ source('logistics_wms_shipments', 'shipments') }}";

/**
 * SQL shapes and their expected lineage, `table.column SUBTYPE` per output
 * column: [shape, model, lineage].
 */
export const LINEAGE_CORPUS: Array<[string, string, Record<string, string[]>]> = [
  ['a bare column', `SELECT id FROM ${C}`, { id: ['customers.id IDENTITY'] }],
  ['a renamed column', `SELECT c.email AS mail FROM ${C} AS c`, { mail: ['customers.email IDENTITY'] }],
  ['a cast keeps the name, transforms', `SELECT signup_date::text FROM ${C}`, { signup_date: ['customers.signup_date TRANSFORMATION'] }],
  ['a constant', `SELECT 1 AS one FROM ${C}`, { one: [] }],
  ['concatenation', `SELECT first_name || ' ' || last_name AS name FROM ${C}`, {
    name: ['customers.first_name TRANSFORMATION', 'customers.last_name TRANSFORMATION'],
  }],
  ['a function call', `SELECT lower(email) FROM ${C}`, { lower: ['customers.email TRANSFORMATION'] }],
  ['star', `SELECT * FROM ${O}`, {
    order_id: ['orders.order_id IDENTITY'],
    customer_id: ['orders.customer_id IDENTITY'],
    order_date: ['orders.order_date IDENTITY'],
    total_amount: ['orders.total_amount IDENTITY'],
  }],
  ['qualified star in a join', `SELECT s.*, o.total_amount FROM ${S} s JOIN ${O} o ON o.order_id = s.order_ref`, {
    shipment_id: ['orders.order_id JOIN', 'shipments.order_ref JOIN', 'shipments.shipment_id IDENTITY'],
    order_ref: ['orders.order_id JOIN', 'shipments.order_ref IDENTITY', 'shipments.order_ref JOIN'],
    shipped_date: ['orders.order_id JOIN', 'shipments.order_ref JOIN', 'shipments.shipped_date IDENTITY'],
    delivery_status: ['orders.order_id JOIN', 'shipments.delivery_status IDENTITY', 'shipments.order_ref JOIN'],
    total_amount: ['orders.order_id JOIN', 'orders.total_amount IDENTITY', 'shipments.order_ref JOIN'],
  }],
  ['a filter', `SELECT id FROM ${C} WHERE email LIKE '%@example.com'`, {
    id: ['customers.email FILTER', 'customers.id IDENTITY'],
  }],
  ['an aggregate with group by', `SELECT customer_id, sum(total_amount) AS spent FROM ${O} GROUP BY customer_id`, {
    customer_id: ['orders.customer_id GROUP_BY', 'orders.customer_id IDENTITY'],
    spent: ['orders.customer_id GROUP_BY', 'orders.total_amount AGGREGATION'],
  }],
  ['count(*)', `SELECT count(*) AS n FROM ${O}`, { n: [] }],
  ['count of a column', `SELECT count(DISTINCT customer_id) AS buyers FROM ${O}`, { buyers: ['orders.customer_id AGGREGATION'] }],
  ['group by position', `SELECT customer_id, max(order_date) FROM ${O} GROUP BY 1`, {
    customer_id: ['orders.customer_id GROUP_BY', 'orders.customer_id IDENTITY'],
    max: ['orders.customer_id GROUP_BY', 'orders.order_date AGGREGATION'],
  }],
  ['having', `SELECT customer_id FROM ${O} GROUP BY customer_id HAVING sum(total_amount) > 100`, {
    customer_id: ['orders.customer_id GROUP_BY', 'orders.customer_id IDENTITY', 'orders.total_amount FILTER'],
  }],
  ['order by an output alias', `SELECT email AS mail FROM ${C} ORDER BY mail`, {
    mail: ['customers.email IDENTITY', 'customers.email SORT'],
  }],
  ['a transformation of an aggregate', `SELECT round(avg(total_amount), 2) AS average FROM ${O}`, {
    average: ['orders.total_amount AGGREGATION'],
  }],
  ['a window function', `SELECT order_id, row_number() OVER (PARTITION BY customer_id ORDER BY order_date) AS n FROM ${O}`, {
    order_id: ['orders.order_id IDENTITY'],
    n: ['orders.customer_id WINDOW', 'orders.order_date WINDOW'],
  }],
  ['a running sum', `SELECT sum(total_amount) OVER (PARTITION BY customer_id) AS running FROM ${O}`, {
    running: ['orders.customer_id WINDOW', 'orders.total_amount AGGREGATION'],
  }],
  ['CASE', `SELECT CASE WHEN total_amount > 100 THEN 'big' ELSE 'small' END AS size FROM ${O}`, {
    size: ['orders.total_amount CONDITIONAL'],
  }],
  ['CASE with column results', `SELECT CASE status WHEN 'x' THEN first_name ELSE last_name END AS n FROM (SELECT email AS status, first_name, last_name FROM ${C}) t`, {
    n: ['customers.email CONDITIONAL', 'customers.first_name TRANSFORMATION', 'customers.last_name TRANSFORMATION'],
  }],
  ['COALESCE', `SELECT coalesce(s.shipped_date, o.order_date) AS d FROM ${O} o LEFT JOIN ${S} s ON s.order_ref = o.order_id`, {
    d: ['orders.order_date TRANSFORMATION', 'orders.order_id JOIN', 'shipments.order_ref JOIN', 'shipments.shipped_date TRANSFORMATION'],
  }],
  ['a sub-query in FROM', `SELECT t.mail FROM (SELECT email AS mail FROM ${C} WHERE id > 10) AS t`, {
    mail: ['customers.email IDENTITY', 'customers.id FILTER'],
  }],
  ['a transformed sub-query column', `SELECT upper(t.mail) AS m FROM (SELECT lower(email) AS mail FROM ${C}) AS t`, {
    m: ['customers.email TRANSFORMATION'],
  }],
  ['an aggregated sub-query column read as is', `SELECT t.n FROM (SELECT customer_id, count(order_id) AS n FROM ${O} GROUP BY customer_id) t`, {
    n: ['orders.customer_id GROUP_BY', 'orders.order_id AGGREGATION'],
  }],
  ['a CTE', `WITH big AS (SELECT order_id, total_amount FROM ${O} WHERE total_amount > 100) SELECT order_id FROM big`, {
    order_id: ['orders.order_id IDENTITY', 'orders.total_amount FILTER'],
  }],
  ['two CTEs, the second reading the first', `WITH a AS (SELECT id, email FROM ${C}), b AS (SELECT id AS key, lower(email) AS e FROM a) SELECT key, e FROM b`, {
    key: ['customers.id IDENTITY'],
    e: ['customers.email TRANSFORMATION'],
  }],
  ['a CTE with column names', `WITH a(k, e) AS (SELECT id, email FROM ${C}) SELECT e FROM a`, {
    e: ['customers.email IDENTITY'],
  }],
  ['a scalar sub-query', `SELECT c.id, (SELECT max(o.order_date) FROM ${O} o WHERE o.customer_id = c.id) AS last_order FROM ${C} c`, {
    id: ['customers.id IDENTITY'],
    last_order: ['customers.id FILTER', 'orders.customer_id FILTER', 'orders.order_date AGGREGATION'],
  }],
  ['EXISTS', `SELECT c.id FROM ${C} c WHERE EXISTS (SELECT 1 FROM ${O} o WHERE o.customer_id = c.id)`, {
    id: ['customers.id FILTER', 'customers.id IDENTITY', 'orders.customer_id FILTER'],
  }],
  ['IN a sub-query', `SELECT email FROM ${C} WHERE id IN (SELECT customer_id FROM ${O})`, {
    email: ['customers.email IDENTITY', 'customers.id FILTER', 'orders.customer_id FILTER'],
  }],
  ['UNION', `SELECT id AS k FROM ${C} UNION SELECT customer_id FROM ${O}`, {
    k: ['customers.id IDENTITY', 'orders.customer_id IDENTITY'],
  }],
  ['UNION ALL with a transformation on one side', `SELECT email AS v FROM ${C} UNION ALL SELECT order_id::text FROM ${O}`, {
    v: ['customers.email IDENTITY', 'orders.order_id TRANSFORMATION'],
  }],
  ['DISTINCT', `SELECT DISTINCT customer_id FROM ${O}`, {
    customer_id: ['orders.customer_id IDENTITY'],
  }],
  ['DISTINCT ON', `SELECT DISTINCT ON (customer_id) customer_id, order_date FROM ${O} ORDER BY customer_id, order_date DESC`, {
    customer_id: ['orders.customer_id GROUP_BY', 'orders.customer_id IDENTITY', 'orders.customer_id SORT', 'orders.order_date SORT'],
    order_date: ['orders.customer_id GROUP_BY', 'orders.customer_id SORT', 'orders.order_date IDENTITY', 'orders.order_date SORT'],
  }],
  ['JOIN USING', `SELECT order_id, total_amount FROM ${O} JOIN (SELECT order_ref AS order_id, shipped_date FROM ${S}) s USING (order_id)`, {
    order_id: ['orders.order_id IDENTITY', 'orders.order_id JOIN', 'shipments.order_ref IDENTITY', 'shipments.order_ref JOIN'],
    total_amount: ['orders.order_id JOIN', 'orders.total_amount IDENTITY', 'shipments.order_ref JOIN'],
  }],
  ['an aggregate FILTER clause', `SELECT count(*) FILTER (WHERE total_amount > 10) AS n FROM ${O}`, {
    n: ['orders.total_amount FILTER'],
  }],
  ['a recursive CTE', `WITH RECURSIVE n(i) AS (SELECT min(id) FROM ${C} UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT i FROM n`, {
    // the recursion's stop condition reads i, which comes from customers.id
    i: ['customers.id AGGREGATION', 'customers.id FILTER'],
  }],
  ['a lateral sub-query', `SELECT c.id, l.total FROM ${C} c, LATERAL (SELECT sum(o.total_amount) AS total FROM ${O} o WHERE o.customer_id = c.id) l`, {
    id: ['customers.id FILTER', 'customers.id IDENTITY', 'orders.customer_id FILTER'],
    total: ['customers.id FILTER', 'orders.customer_id FILTER', 'orders.total_amount AGGREGATION'],
  }],
  ['LIMIT with ORDER BY', `SELECT id FROM ${C} ORDER BY signup_date DESC LIMIT 10`, {
    id: ['customers.id IDENTITY', 'customers.signup_date SORT'],
  }],
  ['arithmetic over a join', `SELECT (s.shipped_date - o.order_date) AS days FROM ${O} o JOIN ${S} s ON s.order_ref = o.order_id`, {
    days: ['orders.order_date TRANSFORMATION', 'orders.order_id JOIN', 'shipments.order_ref JOIN', 'shipments.shipped_date TRANSFORMATION'],
  }],
];
