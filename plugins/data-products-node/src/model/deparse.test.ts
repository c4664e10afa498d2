import { parseSql } from './parser';
import { firstDifference } from './tree';
import { check, useModelParser } from './__testUtils__/demoModels';

useModelParser();

const ORDERS = "{{ source('sales_erp_orders', 'orders') }}";

// SQL as analysts write it in models: each must be accepted, and the SQL that
// runs must parse back to the checked tree. A deparser upgrade that breaks
// one of these shows up here.
const EVERYDAY_MODELS = [
  `SELECT COUNT(DISTINCT o.customer_id), string_agg(DISTINCT o.order_id::text, ','), array_agg(o.order_id ORDER BY o.order_date DESC NULLS LAST) FROM ${ORDERS} o`,
  `SELECT o.order_date::date, DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00', INTERVAL '1' DAY, INTERVAL '2 hours', TIME '10:00' FROM ${ORDERS} o`,
  `SELECT NOT (o.order_id > 1 AND o.customer_id < 2), o.order_id NOT IN (1, 2), 'a' NOT LIKE 'b', 'a' NOT ILIKE 'b', 'a' NOT SIMILAR TO 'b' FROM ${ORDERS} o`,
  `SELECT (CASE WHEN o.order_id > 1 THEN 1 END)::text, COALESCE(SUM(o.total_amount), 0), ROUND(AVG(o.total_amount)::numeric, 2) FROM ${ORDERS} o GROUP BY 1`,
  `SELECT '{"a":{"b":1}}'::jsonb ->> 'a', '{"a":{"b":1}}'::jsonb #>> '{a,b}', '{"a":1}'::jsonb ? 'a', '[1]'::jsonb @> '1'`,
  `SELECT o.order_id FROM ${ORDERS} o ORDER BY 1 DESC NULLS FIRST LIMIT ALL OFFSET 5 ROWS`,
  `SELECT o.order_id FROM ${ORDERS} o ORDER BY 1 OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY`,
  `SELECT EXTRACT(EPOCH FROM now() - o.order_date), date_trunc('day', now()) AT TIME ZONE 'Europe/Berlin' FROM ${ORDERS} o`,
  `SELECT 1 BETWEEN SYMMETRIC 2 AND 0, 1 NOT BETWEEN 2 AND 3, 'x' ILIKE ANY (ARRAY['a%', 'b%']), 'x' LIKE ALL (ARRAY['%'])`,
  `SELECT CAST(1 AS DECIMAL(10,2)), -1, 1e-3, -1.5, TRUE, NULL::int, 'a'::char(1), 1::float, 1::real, 1::smallint`,
  `SELECT row_number() OVER (), sum(o.total_amount) OVER (ORDER BY o.order_date RANGE BETWEEN INTERVAL '7 days' PRECEDING AND CURRENT ROW) FROM ${ORDERS} o`,
  `SELECT o.customer_id, GROUPING(o.customer_id), count(*) FROM ${ORDERS} o GROUP BY GROUPING SETS ((o.customer_id), ())`,
  `SELECT DISTINCT o.customer_id FROM ${ORDERS} o WHERE o.customer_id IS NOT DISTINCT FROM 1 AND (o.order_id, o.customer_id) IN (SELECT 1, 2)`,
  `SELECT left('abc', 1), right('abc', 1), trim(leading '0' from '001'), o.order_id::text || '-' || o.customer_id FROM ${ORDERS} o`,
  `SELECT CURRENT_TIMESTAMP - INTERVAL '1 hour', to_char(1.5, 'FM999.0'), 'b' < 'a' COLLATE "C", localtimestamp, current_time(0)`,
  `SELECT o.* , o.order_id AS "Order ID", o.customer_id "cust" FROM ${ORDERS} AS o(oid)`,
  `SELECT x FROM (SELECT 1) t(x) UNION (SELECT 2 ORDER BY 1 LIMIT 1)`,
  `SELECT arr[1], arr[1:2], ('{"a":1}'::jsonb)['a'], (ROW(1, 2)).f1 FROM (SELECT ARRAY[1, 2] AS arr) AS a`,
  `SELECT greatest(1, 2), least(1, 2), nullif(1, 1), coalesce(null, 1), 5 % 3, 2 ^ 3, |/ 4, @ -1, ~1, 1 << 2, 'ab' || 'c', 1 & 3, 1 | 2, 1 # 2`,
  `SELECT sum(x) FILTER (WHERE x > 0) OVER w FROM generate_series(1, 3) AS g(x) WINDOW w AS (ORDER BY x)`,
  `SELECT percentile_disc(ARRAY[0.25, 0.5]) WITHIN GROUP (ORDER BY x), mode() WITHIN GROUP (ORDER BY x), rank(2) WITHIN GROUP (ORDER BY x) FROM generate_series(1, 3) AS g(x)`,
  `SELECT x FROM generate_series(now(), now() + interval '1 day', interval '1 hour') AS g(x)`,
  `SELECT jsonb_build_object('a', 1, 'b', ARRAY[1]) || '{"c": 2}'::jsonb, jsonb_path_query_array('{"a":[1,2]}', '$.a[*] ? (@ > 1)')`,
  `SELECT * FROM (VALUES (1), (2)) v(x) WHERE x = ANY (SELECT 1) ORDER BY x USING >`,
  `SELECT x FROM unnest(ARRAY[1, 2], ARRAY['a', 'b']) AS u(x, y)`,
  `SELECT split_part('a.b', '.', 1) AS "select", 1 AS "from"`,
  `SELECT o.order_id FROM ${ORDERS} o WHERE o.order_date >= date_trunc('month', CURRENT_DATE) - INTERVAL '1 month' AND o.order_date < date_trunc('month', CURRENT_DATE)`,
  `SELECT 'a' IS NORMALIZED, 1 IS NULL, true IS NOT FALSE, null IS UNKNOWN`,
  `SELECT * FROM ${ORDERS} o CROSS JOIN LATERAL jsonb_array_elements('[1]'::jsonb) AS e(v)`,
  `WITH x AS (SELECT 1 AS a) SELECT * FROM x WHERE a IN (WITH y AS (SELECT 1) SELECT * FROM y)`,
  `SELECT 1 FROM ${ORDERS} o GROUP BY CUBE (o.customer_id, o.order_id), ROLLUP (o.order_date)`,
  `SELECT overlay('abc' placing 'x' from 2 for 1), substring('abc' from 2), substring('abc' for 1), substring('abc', 'b')`,
  `SELECT '1'::int4range @> 1, daterange('2024-01-01', '2024-02-01') && daterange('2024-01-15', '2024-03-01')`,
];

describe('the SQL that runs', () => {
  it.each(EVERYDAY_MODELS)('parses back to the checked tree: %s', model => {
    const checked = check(model);
    const reparsed = parseSql(checked.sql).stmts![0].stmt;
    expect(
      firstDifference({ SelectStmt: checked.tree }, reparsed),
    ).toBeUndefined();
  });
});
