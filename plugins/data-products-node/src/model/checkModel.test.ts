import { checkModel } from './checkModel';
import { parseSql } from './parser';
import { firstDifference } from './tree';
import {
  check,
  DEMO_INPUTS,
  demoModels,
  originalCustomerActivityModel,
  resolveDemoInput,
  useModelParser,
} from './__testUtils__/demoModels';

useModelParser();

const CUSTOMERS = "{{ source('sales_crm_customers', 'customers') }}";
const ORDERS = "{{ source('sales_erp_orders', 'orders') }}";
const SHIPMENTS = "{{ source('logistics_wms_shipments', 'shipments') }}";

/** The tree PostgreSQL parses from the SQL that runs, compared with the checked one. */
function rerunDifference(model: string) {
  const checked = check(model);
  const reparsed = parseSql(checked.sql).stmts![0].stmt;
  return firstDifference({ SelectStmt: checked.tree }, reparsed);
}

describe('checkModel', () => {
  it('runs the demo customer_activity model against the physical relations of its inputs', () => {
    const [demo] = demoModels();
    const checked = checkModel(demo.model, {
      portName: demo.portName,
      inputs: demo.inputs,
      resolve: resolveDemoInput,
    });

    expect(checked.sql).toContain('FROM sales_crm.customers AS c');
    expect(checked.sql).toContain('LEFT JOIN sales_erp.orders AS o');
    expect(checked.sql).toContain('FROM logistics_wms.shipments AS sh');
    expect(checked.sql).not.toContain('{{');
    expect(checked.sql).not.toContain('--');
    expect(
      checked.references.map(r => [
        r.input.ref,
        `${r.relation.schema}.${r.relation.name}`,
        demo.model.slice(r.reference.start, r.reference.end),
      ]),
    ).toEqual([
      [
        'outputport:sales-crm-customers-customers',
        'sales_crm.customers',
        CUSTOMERS,
      ],
      ['outputport:sales-erp-orders-orders', 'sales_erp.orders', ORDERS],
      [
        'outputport:logistics-wms-shipments-shipments',
        'logistics_wms.shipments',
        SHIPMENTS,
      ],
    ]);
  });

  it.each([
    ...demoModels().map(
      d => [`demo model ${d.portName}`, d.model] as [string, string],
    ),
    ['the original scenario model', originalCustomerActivityModel()],
  ])('accepts %s and what runs parses back to the checked tree', (_, model) => {
    expect(rerunDifference(model)).toBeUndefined();
  });

  it.each([
    [
      'UNION',
      `SELECT id FROM ${CUSTOMERS} UNION SELECT customer_id FROM ${ORDERS}`,
    ],
    [
      'INTERSECT and EXCEPT ALL',
      `SELECT id FROM ${CUSTOMERS} INTERSECT SELECT customer_id FROM ${ORDERS} EXCEPT ALL SELECT 1`,
    ],
    ['VALUES', `VALUES (1, 'a'), (2, 'b')`],
    [
      'VALUES in FROM',
      `SELECT a, b FROM (VALUES (1, 2)) AS v(a, b) ORDER BY a USING <`,
    ],
    [
      'WITH',
      `WITH recent AS (SELECT * FROM ${ORDERS} WHERE order_date > CURRENT_DATE - 30),
            totals AS (SELECT customer_id, sum(total_amount) AS total FROM recent GROUP BY customer_id)
       SELECT c.id, t.total FROM ${CUSTOMERS} c JOIN totals t ON t.customer_id = c.id`,
    ],
    [
      'WITH RECURSIVE',
      `WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r`,
    ],
    [
      'window functions',
      `SELECT o.customer_id, row_number() OVER w, lag(o.total_amount, 1, 0) OVER w,
              sum(o.total_amount) OVER (PARTITION BY o.customer_id ORDER BY o.order_date
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
       FROM ${ORDERS} o WINDOW w AS (PARTITION BY o.customer_id ORDER BY o.order_date)`,
    ],
    [
      'DISTINCT ON',
      `SELECT DISTINCT ON (s.order_ref) s.order_ref, s.delivery_status FROM ${SHIPMENTS} s ORDER BY s.order_ref, s.shipped_date DESC`,
    ],
    [
      'LATERAL subqueries',
      `SELECT c.id, last.order_id FROM ${CUSTOMERS} c
       LEFT JOIN LATERAL (SELECT o.order_id FROM ${ORDERS} o WHERE o.customer_id = c.id
                          ORDER BY o.order_date DESC LIMIT 1) AS last ON true`,
    ],
    [
      'subqueries in WHERE',
      `SELECT c.id FROM ${CUSTOMERS} c WHERE c.id IN (SELECT customer_id FROM ${ORDERS})
         AND NOT EXISTS (SELECT 1 FROM ${SHIPMENTS} s WHERE s.order_ref = c.id)
         AND c.id > ALL (SELECT 0) AND c.id = ANY (ARRAY[1, 2])`,
    ],
    [
      'aggregates with FILTER, WITHIN GROUP and grouping sets',
      `SELECT count(*) FILTER (WHERE o.total_amount > 100), percentile_cont(0.5) WITHIN GROUP (ORDER BY o.total_amount),
              string_agg(o.order_id::text, ',' ORDER BY o.order_id), jsonb_agg(o ORDER BY o.order_id)
       FROM ${ORDERS} o GROUP BY ROLLUP (o.customer_id) HAVING count(*) > 0`,
    ],
    [
      'string, date and conversion functions with SQL syntax',
      `SELECT EXTRACT(YEAR FROM c.signup_date), c.signup_date AT TIME ZONE 'UTC', trim(both ' ' from c.email),
              substring(c.email from 1 for 3), position('@' in c.email), overlay(c.email placing 'x' from 1),
              date_trunc('month', c.signup_date), to_char(c.signup_date, 'YYYY-MM'), date(c.signup_date),
              initcap(c.first_name || ' ' || c.last_name), split_part(c.email, '@', 2), md5(c.email)
       FROM ${CUSTOMERS} c`,
    ],
    [
      'casts, CASE and conditional expressions',
      `SELECT CAST(1 AS numeric(10,2)), 1::bigint, 'x'::varchar(3), 1.5::double precision, now()::timestamp with time zone,
              interval '1 day', '{}'::jsonb, CASE WHEN c.id > 0 THEN 'p' ELSE 'n' END, coalesce(c.email, ''),
              nullif(c.email, ''), greatest(1, 2), c.email IS NOT NULL, c.id BETWEEN 1 AND 9, c.email COLLATE "C"
       FROM ${CUSTOMERS} c`,
    ],
    [
      'JSON building and operators',
      `SELECT jsonb_build_object('id', c.id) -> 'id', c.email ~* '@example\\.com$', c.email LIKE '%a%' ESCAPE '!',
              json_build_array(1, 2), row_to_json(c) FROM ${CUSTOMERS} c`,
    ],
    [
      'set-returning functions in FROM',
      `SELECT * FROM unnest(ARRAY[1, 2]) WITH ORDINALITY AS u(v, i), generate_series(1, 3) AS g(n)`,
    ],
    [
      'TABLESAMPLE BERNOULLI',
      `SELECT * FROM ${CUSTOMERS} c TABLESAMPLE BERNOULLI (10) REPEATABLE (1)`,
    ],
    ['TABLE', `TABLE ${CUSTOMERS}`],
    ['ONLY', `SELECT * FROM ONLY ${CUSTOMERS}`],
    [
      'JOIN ... USING and NATURAL JOIN',
      `SELECT c.id FROM ${CUSTOMERS} c JOIN ${ORDERS} o USING (id) NATURAL JOIN ${SHIPMENTS} s`,
    ],
    [
      'an operator qualified with pg_catalog',
      `SELECT 1 OPERATOR(pg_catalog.+) 2, pg_catalog.lower('A')`,
    ],
    ['a trailing semicolon and comment', `SELECT 1; -- done`],
  ])(
    'accepts %s, and what runs parses back to the checked tree',
    (_, model) => {
      expect(rerunDifference(model)).toBeUndefined();
    },
  );

  it('quotes physical names that need it', () => {
    const checked = checkModel(`SELECT * FROM ${CUSTOMERS}`, {
      portName: 'out',
      inputs: DEMO_INPUTS,
      resolve: () => ({ schema: 'Sales CRM', name: 'Order "Lines"' }),
    });
    expect(checked.sql).toBe('SELECT *\nFROM "Sales CRM"."Order ""Lines"""');
  });

  it('writes strings holding a backslash as E strings, which mean the same whatever standard_conforming_strings says', () => {
    expect(check(`SELECT 'C:\\temp\\' AS folder`).sql).toBe(
      `SELECT E'C:\\\\temp\\\\' AS folder`,
    );
  });

  it('keeps positions in the tree as offsets of the model as written, past non-ASCII text', () => {
    const model = `SELECT 'é😀' AS greeting, c.id\nFROM ${CUSTOMERS} c`;
    const { tree } = check(model);
    const target = tree.targetList![1] as any;
    expect(target.ResTarget.val.ColumnRef.location).toBe(model.indexOf('c.id'));
    const source = tree.fromClause![0] as any;
    expect(source.RangeVar.location).toBe(model.indexOf('{{'));
  });

  it('needs the parser loaded first, and says so', () => {
    jest.isolateModules(() => {
      const fresh: typeof import('./checkModel') = require('./checkModel');
      expect(() =>
        fresh.checkModel('SELECT 1', {
          portName: 'out',
          inputs: [],
          resolve: resolveDemoInput,
        }),
      ).toThrow('await loadModelParser() once before checking models');
    });
  });
});
