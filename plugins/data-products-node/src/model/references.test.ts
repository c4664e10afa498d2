import { checkModel } from './checkModel';
import {
  check,
  DEMO_INPUTS,
  resolveDemoInput,
  useModelParser,
} from './__testUtils__/demoModels';

useModelParser();

const CUSTOMERS = "{{ source('sales_crm_customers', 'customers') }}";

describe('source() references', () => {
  it.each([
    ['single quotes', "{{ source('sales_crm_customers', 'customers') }}"],
    ['double quotes', '{{ source("sales_crm_customers", "customers") }}'],
    ['no whitespace', "{{source('sales_crm_customers','customers')}}"],
    [
      'Jinja whitespace control',
      "{{- source('sales_crm_customers', 'customers') -}}",
    ],
    [
      '- for _ and any case',
      "{{ source('Sales-CRM_customers', 'customers') }}",
    ],
    [
      'a line break inside',
      "{{\n  source(\n'sales_crm_customers',\n'customers'\n)\n}}",
    ],
  ])('resolves a reference written with %s', (_, reference) => {
    expect(check(`SELECT c.id FROM ${reference} AS c`).sql).toBe(
      'SELECT c.id\nFROM sales_crm.customers AS c',
    );
  });

  it('reads a reference written against FROM like a separate word', () => {
    expect(check(`SELECT c.id FROM${CUSTOMERS}c`).sql).toBe(
      'SELECT c.id\nFROM sales_crm.customers AS c',
    );
  });

  it('leaves {{ ... }} inside string literals, quoted names and comments as written', () => {
    const checked = check(
      `SELECT '{{ source(''x'', ''y'') }}' AS literal,\n` +
        `       $q${'$'}{{ ref('z') }}$q$ AS dollar_quoted,\n` +
        `       E'\\'{{ x }}' AS escaped,\n` +
        `       1 AS "{{ source('a', 'b') }}" -- {{ config(materialized='table') }}\n` +
        `/* {{ source('nope', 'nope') }} */ FROM ${CUSTOMERS} c`,
    );
    expect(checked.references).toHaveLength(1);
    expect(checked.sql).toContain(`'{{ source(''x'', ''y'') }}' AS literal`);
    expect(checked.sql).toContain(`'{{ ref(''z'') }}' AS dollar_quoted`);
    expect(checked.sql).toContain(`'''{{ x }}' AS escaped`);
    expect(checked.sql).toContain(`1 AS "{{ source('a', 'b') }}"`);
  });

  it('refuses a reference used as a column, naming it and saying how to read it', () => {
    expect(() => check(`SELECT ${CUSTOMERS}.id FROM ${CUSTOMERS}`)).toThrow(
      `Model SQL of output port 'out', line 1, column 8: uses ${CUSTOMERS} as something other than a table: ` +
        'a source() reference can only be read as a table in FROM or JOIN. ' +
        `Write it after FROM or JOIN with an alias (FROM ${CUSTOMERS} AS c) and use its columns through the alias (c.id)`,
    );
  });

  it.each([
    ['a column', `SELECT ${CUSTOMERS} FROM (SELECT 1) AS t`],
    ['a function name', `SELECT ${CUSTOMERS}(1)`],
    ['an alias', `SELECT * FROM ${CUSTOMERS} AS ${CUSTOMERS}`],
    ['a table name after a schema', `SELECT * FROM sales_crm.${CUSTOMERS}`],
    ['a WITH query name', `WITH ${CUSTOMERS} AS (SELECT 1) SELECT 1`],
    ['a SELECT INTO target', `SELECT 1 INTO ${CUSTOMERS}`],
  ])('refuses a reference used as %s', (_, model) => {
    expect(() => check(model)).toThrow(
      'a source() reference can only be read as a table in FROM or JOIN',
    );
  });

  it('refuses an undeclared input, listing the declared ones', () => {
    const model = `SELECT *\nFROM {{ source('finance_ledger', 'entries') }} e`;
    expect(() => check(model)).toThrow(
      "Model SQL of output port 'out', line 2, column 6: reads {{ source('finance_ledger', 'entries') }}, " +
        "but port 'entries' of data product 'finance-ledger' is not among the product's declared inputs " +
        "(declared inputs: source('sales-crm-customers', 'customers') (outputport:sales-crm-customers-customers), " +
        "source('sales-erp-orders', 'orders') (outputport:sales-erp-orders-orders), " +
        "source('logistics-wms-shipments', 'shipments') (outputport:logistics-wms-shipments-shipments)). " +
        'Add it to spec.inputs or fix the reference\n' +
        "  FROM {{ source('finance_ledger', 'entries') }} e\n" +
        '       ^',
    );
  });

  it('says when the product declares no inputs at all', () => {
    expect(() =>
      checkModel(`SELECT * FROM ${CUSTOMERS}`, {
        portName: 'out',
        inputs: [],
        resolve: resolveDemoInput,
      }),
    ).toThrow('(the product declares no inputs)');
  });

  it('refuses a port of a declared product that is not itself declared', () => {
    expect(() =>
      check("SELECT * FROM {{ source('sales_crm_customers', 'contacts') }}"),
    ).toThrow(
      "port 'contacts' of data product 'sales-crm-customers' is not among the product's declared inputs",
    );
  });

  it.each([
    ['another template expression', "{{ config(materialized='table') }}"],
    ['a source() with one argument', "{{ source('sales_crm_customers') }}"],
    ['a source() with an empty argument', "{{ source('', 'customers') }}"],
    ['an unquoted argument', '{{ source(sales_crm_customers, customers) }}'],
  ])('refuses %s where SQL reads it', (_, expression) => {
    expect(() => check(`SELECT * FROM ${expression}`)).toThrow(
      `Model SQL of output port 'out', line 1, column 15: ${JSON.stringify(
        expression,
      )} is not a source() reference. ` +
        "Model SQL may only use {{ source('<product>', '<port>') }}, with two quoted, non-empty arguments",
    );
  });

  it('refuses a template expression that is never closed', () => {
    expect(() =>
      check("SELECT *\nFROM {{ source('sales_crm_customers', 'customers')"),
    ).toThrow(
      "line 2, column 6: opens a template expression with '{{' that is never closed with '}}'",
    );
  });

  it('resolves each use of the same input', () => {
    const checked = check(
      `SELECT a.id FROM ${CUSTOMERS} a JOIN ${CUSTOMERS} b ON a.id = b.id`,
    );
    expect(checked.references.map(r => r.input.ref)).toEqual([
      DEMO_INPUTS[0].ref,
      DEMO_INPUTS[0].ref,
    ]);
    expect(checked.sql).toContain(
      'FROM sales_crm.customers AS a\nJOIN sales_crm.customers AS b',
    );
  });
});
