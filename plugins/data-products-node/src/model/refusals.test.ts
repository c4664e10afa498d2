import { InputError } from '@backstage/errors';
import { check, useModelParser } from './__testUtils__/demoModels';

useModelParser();

const CUSTOMERS = "{{ source('sales_crm_customers', 'customers') }}";

/** The error `check` throws for a model; fails the test when the model is accepted. */
function refusal(model: string): InputError {
  try {
    check(model);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`The model was accepted:\n${model}`);
}

const ANOTHER_STATEMENT =
  'holds more than one statement: another one starts here';

describe('model refusals', () => {
  describe('tricks that defeated the text-based guard', () => {
    it.each([
      [
        'an identifier holding $t$',
        `SELECT 1 AS "x$t$"; CREATE ROLE evil SUPERUSER; --`,
      ],
      [
        'an unquoted identifier holding $t$',
        `SELECT 1 AS x$t$; CREATE ROLE evil SUPERUSER; -- $t$`,
      ],
      ['an escape string holding a quote', `SELECT E'\\'';DROP TABLE x;--'`],
      [
        'an escape string before a source',
        `SELECT E'\\'' AS q, c.id FROM ${CUSTOMERS} c; GRANT SELECT ON ALL TABLES IN SCHEMA sales_crm TO PUBLIC`,
      ],
      [
        'a dollar quote opened in a comment',
        `SELECT 1 /* $t$ */; CREATE FUNCTION evil() RETURNS int AS 'select 1' LANGUAGE sql; -- $t$`,
      ],
      [
        'a dollar quote opened in a line comment',
        `SELECT 1 -- $t$\n; ALTER ROLE current_user SUPERUSER; -- $t$`,
      ],
      [
        'nested block comments',
        `SELECT 1 /* /* */ ; */ ; DROP SCHEMA sales_crm CASCADE`,
      ],
      [
        'a standard string ending in a backslash',
        `SELECT 'a\\'; DROP TABLE x; --'`,
      ],
      ['two SELECTs', `SELECT 1; SELECT 2`],
    ])('refuses a second statement after %s', (_, model) => {
      expect(refusal(model).message).toContain(ANOTHER_STATEMENT);
    });

    it('points at where the second statement starts', () => {
      expect(refusal(`SELECT E'\\'';DROP TABLE x;--'`).message).toBe(
        `Model SQL of output port 'out', line 1, column 14: ${ANOTHER_STATEMENT}. ` +
          "A model is one SELECT statement: remove everything after the first statement's ';'\n" +
          `  SELECT E'\\'';DROP TABLE x;--'\n` +
          '               ^',
      );
    });

    it('keeps a dollar-quoted string that looks like a statement as a value', () => {
      expect(check(`SELECT $t$; CREATE ROLE evil; $t$ AS harmless`).sql).toBe(
        "SELECT '; CREATE ROLE evil; ' AS harmless",
      );
    });
  });

  it.each([
    ['CREATE ROLE', `CREATE ROLE evil SUPERUSER`, 'a CREATE ROLE statement'],
    [
      'GRANT',
      `GRANT SELECT ON sales_crm.customers TO PUBLIC`,
      'a GRANT statement',
    ],
    ['INSERT', `INSERT INTO t SELECT 1`, 'an INSERT statement'],
    ['SET', `SET default_transaction_read_only = on`, 'a SET statement'],
    [
      'CREATE TABLE AS',
      `CREATE TABLE t AS SELECT 1`,
      'a CREATE TABLE AS statement',
    ],
    ['EXPLAIN', `EXPLAIN SELECT 1`, 'an EXPLAIN statement'],
    ['DO', `DO $$ BEGIN PERFORM 1; END $$`, 'a DO statement'],
  ])('refuses a %s statement', (_, model, described) => {
    expect(refusal(model).message).toContain(
      `line 1, column 1: is ${described}, not a SELECT. A model is one SELECT statement`,
    );
  });

  it.each([
    [
      'set_config',
      `set_config('default_transaction_read_only', 'on', false)`,
      'it reads or changes settings of the database session',
    ],
    [
      'current_setting',
      `current_setting('is_superuser')`,
      'it reads or changes settings of the database session',
    ],
    ['pg_sleep', 'pg_sleep(600)', 'it holds the build without doing work'],
    [
      'pg_sleep_for',
      `pg_catalog.pg_sleep_for('10 minutes')`,
      'it holds the build without doing work',
    ],
    [
      'dblink',
      `dblink('host=elsewhere', 'select 1')`,
      'it connects to other databases',
    ],
    [
      'lo_import',
      `lo_import('/etc/passwd')`,
      'it reads or writes large objects',
    ],
    ['lo_get', 'lo_get(1234)', 'it reads or writes large objects'],
    [
      'pg_read_file',
      `pg_read_file('/etc/passwd')`,
      "it reads the database server's files",
    ],
    [
      'pg_read_binary_file',
      `pg_read_binary_file('base/1/1')`,
      "it reads the database server's files",
    ],
    ['pg_ls_dir', `pg_ls_dir('.')`, "it reads the database server's files"],
    [
      'pg_stat_file',
      `pg_stat_file('postgresql.conf')`,
      "it reads the database server's files",
    ],
    [
      'pg_advisory_lock',
      'pg_advisory_lock(1)',
      'it takes locks that outlive the query',
    ],
    [
      'pg_try_advisory_xact_lock',
      'pg_try_advisory_xact_lock(1)',
      'it takes locks that outlive the query',
    ],
    [
      'pg_cancel_backend',
      'pg_cancel_backend(1)',
      'it interrupts other sessions',
    ],
    [
      'pg_terminate_backend',
      'pg_terminate_backend(1)',
      'it interrupts other sessions',
    ],
    [
      'query_to_xml',
      `query_to_xml('select * from pg_authid', true, false, '')`,
      'it runs SQL given as text or reads whole tables',
    ],
    [
      'table_to_xml',
      `table_to_xml('sales_crm.customers', true, false, '')`,
      'it runs SQL given as text or reads whole tables',
    ],
    [
      'cursor_to_xml',
      `cursor_to_xml('c', 1, true, false, '')`,
      'it runs SQL given as text or reads whole tables',
    ],
    [
      'schema_to_xml',
      `schema_to_xml('sales_crm', true, false, '')`,
      'it runs SQL given as text or reads whole tables',
    ],
    [
      'database_to_xml',
      `database_to_xml(true, false, '')`,
      'it runs SQL given as text or reads whole tables',
    ],
    ['nextval', `nextval('seq')`, 'it reads or advances sequences'],
    ['setval', `setval('seq', 1)`, 'it reads or advances sequences'],
    ['txid_current', 'txid_current()', 'it assigns or exposes transaction ids'],
    [
      'pg_current_xact_id',
      'pg_current_xact_id()',
      'it assigns or exposes transaction ids',
    ],
    [
      'pg_notify',
      `pg_notify('channel', 'payload')`,
      'it signals other sessions',
    ],
  ])('refuses %s()', (name, call, reason) => {
    expect(refusal(`SELECT ${call} AS value`).message).toContain(
      `line 1, column 8: calls ${name}(), which models may not call: ${reason}. ` +
        'Compute the value with the built-in aggregate, window, string, math, date/time, JSON and conversion functions listed in docs/model-safety.md',
    );
  });

  it.each([
    [
      'a user-defined function',
      'evil(1)',
      'calls evil(), which is not among the built-in functions models may call',
    ],
    [
      'a schema-qualified function',
      'public.lower(c.email)',
      "calls public.lower(), a function outside pg_catalog; models call only PostgreSQL's built-in functions",
    ],
    [
      'a function with a catalog and schema',
      'db.public.f()',
      'calls db.public.f(), a function outside pg_catalog',
    ],
    [
      'a built-in function outside the allowlist',
      'pg_typeof(c.id)',
      'calls pg_typeof(), which is not among the built-in functions models may call',
    ],
    [
      'a function in a WHERE subquery',
      '(SELECT 1 WHERE pg_sleep(1) IS NULL)',
      'calls pg_sleep()',
    ],
    [
      'a function in ORDER BY of an aggregate',
      "string_agg(c.email, ',' ORDER BY pg_sleep(1))",
      'calls pg_sleep()',
    ],
    [
      'a function in a window frame',
      'sum(c.id) OVER (ORDER BY c.id ROWS pg_sleep(1)::int PRECEDING)',
      'calls pg_sleep()',
    ],
  ])('refuses %s', (_, expression, problem) => {
    expect(
      refusal(`SELECT ${expression} FROM ${CUSTOMERS} c`).message,
    ).toContain(problem);
  });

  it('refuses a function hidden in a type modifier, a CASE, a VALUES list or FROM', () => {
    expect(refusal(`SELECT 1::numeric(pg_sleep(1)::int, 2)`).message).toContain(
      'calls pg_sleep()',
    );
    expect(
      refusal(`SELECT CASE WHEN true THEN pg_sleep(1) END`).message,
    ).toContain('calls pg_sleep()');
    expect(
      refusal(`VALUES (1), (set_config('a.b', 'c', false)::int)`).message,
    ).toContain('calls set_config()');
    expect(
      refusal(
        `SELECT * FROM generate_series(1, 2) AS g(n), pg_ls_dir('.') AS f`,
      ).message,
    ).toContain('calls pg_ls_dir()');
  });

  it.each([
    ['INSERT', 'INSERT INTO t VALUES (1) RETURNING *', 'an INSERT statement'],
    ['UPDATE', 'UPDATE t SET a = 1 RETURNING *', 'an UPDATE statement'],
    ['DELETE', 'DELETE FROM t RETURNING *', 'a DELETE statement'],
    [
      'MERGE',
      'MERGE INTO t USING u ON true WHEN MATCHED THEN DELETE RETURNING *',
      'a MERGE statement',
    ],
  ])('refuses a WITH query that is a %s', (_, query, described) => {
    expect(
      refusal(`WITH changed AS (${query})\nSELECT * FROM changed`).message,
    ).toBe(
      `Model SQL of output port 'out', line 1, column 6: the WITH query "changed" is ${described}; ` +
        'a model may not change data. Keep only SELECT queries in WITH\n' +
        `  WITH changed AS (${query})\n` +
        '       ^',
    );
  });

  it('refuses a data-modifying WITH query nested in a subquery', () => {
    expect(
      refusal(
        `SELECT * FROM (WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d) AS x`,
      ).message,
    ).toContain('the WITH query "d" is a DELETE statement');
  });

  it('refuses SELECT INTO', () => {
    expect(
      refusal(`SELECT * INTO copied FROM ${CUSTOMERS} c`).message,
    ).toContain(
      "line 1, column 15: SELECT INTO creates the table copied; a model only reads. Remove INTO: the engine creates the output port's table or view from the model",
    );
  });

  it.each([
    ['FOR UPDATE', ''],
    ['FOR NO KEY UPDATE', ' OF c'],
    ['FOR SHARE', ' NOWAIT'],
    ['FOR KEY SHARE', ' SKIP LOCKED'],
  ])('refuses %s', (clause, rest) => {
    const model = `SELECT * FROM ${CUSTOMERS} c\n${clause}${rest}`;
    expect(refusal(model).message).toContain(
      `line 2, column 1: ${clause} locks rows of the product's inputs. Remove the ${clause} clause: a model only reads`,
    );
  });

  it('refuses a locking clause in a subquery', () => {
    expect(
      refusal(
        `SELECT * FROM (SELECT * FROM ${CUSTOMERS} c FOR UPDATE) AS locked`,
      ).message,
    ).toContain('FOR UPDATE locks rows');
  });

  describe('reading tables other than inputs', () => {
    const DIRECT =
      "a model reads only its declared inputs, through source(), and its own WITH queries. Read another data product's output port with {{ source('<product>', '<port>') }} after adding it to spec.inputs";

    it.each([
      ['an operational source table', 'sources.crm_customers'],
      ['a catalog table', 'pg_catalog.pg_authid'],
      ['another product\u2019s schema', 'sales_crm.customers'],
      ['an unqualified table', 'pg_authid'],
      ['a table with a database name', 'warehouse.sales_crm.customers'],
    ])('refuses %s', (_, table) => {
      expect(refusal(`SELECT * FROM ${table}`).message).toContain(
        `line 1, column 15: reads the table ${table} directly; ${DIRECT}`,
      );
    });

    it.each([
      ['a JOIN', `SELECT * FROM ${CUSTOMERS} c JOIN pg_authid a ON true`],
      [
        'a subquery in WHERE',
        `SELECT * FROM ${CUSTOMERS} c WHERE c.id IN (SELECT oid FROM pg_authid)`,
      ],
      [
        'a scalar subquery',
        `SELECT (SELECT rolpassword FROM pg_authid LIMIT 1)`,
      ],
      ['a WITH query', `WITH x AS (SELECT * FROM pg_authid) SELECT * FROM x`],
      [
        'a LATERAL subquery',
        `SELECT * FROM ${CUSTOMERS} c, LATERAL (SELECT * FROM pg_authid) AS a`,
      ],
      ['TABLESAMPLE', `SELECT * FROM pg_authid TABLESAMPLE BERNOULLI (50)`],
      ['TABLE', `TABLE pg_authid`],
    ])('refuses a direct read in %s', (_, model) => {
      expect(refusal(model).message).toContain(
        'reads the table pg_authid directly',
      );
    });

    it('refuses a name that matches a WITH query written later, which PostgreSQL reads as a table', () => {
      expect(
        refusal(`WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a`)
          .message,
      ).toContain(
        'reads the table b directly (the WITH query "b" comes later in the same WITH, and a WITH query reads only those written before it)',
      );
    });

    it('refuses a WITH query read outside the SELECT that defines it', () => {
      expect(
        refusal(
          `(WITH x AS (SELECT 1 AS a) SELECT a FROM x) UNION ALL SELECT a FROM x`,
        ).message,
      ).toContain('line 1, column 69: reads the table x directly');
    });

    it('refuses a schema-qualified name even when a WITH query has that name', () => {
      expect(
        refusal(
          `WITH customers AS (SELECT 1) SELECT * FROM sales_crm.customers`,
        ).message,
      ).toContain('reads the table sales_crm.customers directly');
    });
  });

  it.each([
    ['OPERATOR(myschema.===)', `SELECT 1 OPERATOR(myschema.===) 2`, 10],
    [
      'OPERATOR(public.=) in ANY',
      `SELECT 1 OPERATOR(public.=) ANY (SELECT 1)`,
      10,
    ],
    ['USING OPERATOR(s.<)', `SELECT 1 AS a ORDER BY a USING OPERATOR(s.<)`, 32],
  ])('refuses the schema-qualified operator %s', (_, model, column) => {
    expect(refusal(model).message).toContain(
      `column ${column}: uses the operator OPERATOR(`,
    );
  });

  it.each([
    ['a type of another schema', `'x'::myschema.mood`, 'myschema.mood'],
    ['regclass', `'pg_authid'::regclass`, 'regclass'],
    ['regproc', `'pg_sleep'::regproc`, 'regproc'],
    ['a table row type', `'(1)'::customers`, 'customers'],
    ['xml', `'<a/>'::xml`, 'xml'],
    [
      'a pg_catalog type outside the list',
      `'1'::pg_catalog.oid`,
      'pg_catalog.oid',
    ],
  ])('refuses a cast to %s', (_, expression, type) => {
    expect(refusal(`SELECT ${expression}`).message).toContain(
      `casts to the type ${type}, which is not among the built-in types models may use. Cast to a built-in type such as text`,
    );
  });

  it('refuses %TYPE', () => {
    expect(() => check('SELECT CAST(1 AS customers.id%TYPE)')).toThrow(
      InputError,
    );
  });

  it('refuses a TABLESAMPLE method from an extension', () => {
    expect(
      refusal(`SELECT * FROM ${CUSTOMERS} c TABLESAMPLE system_rows (10)`)
        .message,
    ).toContain(
      'samples with the TABLESAMPLE method system_rows, which is not built in. Use TABLESAMPLE BERNOULLI (percent) or TABLESAMPLE SYSTEM (percent)',
    );
  });

  it('refuses ROWS FROM (...)', () => {
    expect(
      refusal(
        `SELECT * FROM ROWS FROM (unnest(ARRAY[1]), generate_series(1, 2)) AS r`,
      ).message,
    ).toContain('line 1, column 26: uses ROWS FROM (...)');
  });

  it('refuses a column definition list for a record-returning function', () => {
    expect(
      refusal(`SELECT * FROM json_to_record('{"a": 1}') AS r(a integer)`)
        .message,
    ).toContain('declares the columns of a function in FROM (AS t(a integer))');
  });

  it.each([
    ['a parameter', 'SELECT $1', 'uses the parameter $1'],
    [
      'an XML expression',
      `SELECT xmlelement(name a)`,
      'uses an XML expression, which models may not use',
    ],
    [
      'XMLTABLE',
      `SELECT * FROM XMLTABLE('/a' PASSING '<a/>' COLUMNS x int PATH 'x')`,
      'uses XMLTABLE',
    ],
    ['SQL/JSON syntax', `SELECT JSON_OBJECT('a': 1)`, 'uses SQL/JSON syntax'],
  ])('refuses %s', (_, model, problem) => {
    expect(refusal(model).message).toContain(problem);
  });

  it('refuses what the deparser cannot reproduce faithfully instead of running something else', () => {
    // The deparser turns FETCH FIRST ... WITH TIES into LIMIT, which returns fewer rows.
    expect(
      refusal(
        `SELECT c.id FROM ${CUSTOMERS} c ORDER BY c.id FETCH FIRST 5 ROWS WITH TIES`,
      ).message,
    ).toContain(
      'could not be turned back into SQL that means the same thing (the SQL generated for this part reads back differently at SelectStmt.limitOption). ' +
        'Write this part of the query another way; the engine runs only SQL whose meaning it has verified',
    );
  });

  it('refuses what the deparser writes as SQL that does not parse', () => {
    // The deparser drops the parentheses: ARRAY[1, 2][1] is a syntax error.
    expect(
      refusal(`-- first element\nSELECT (ARRAY[1, 2])[1] AS first`).message,
    ).toBe(
      "Model SQL of output port 'out', line 2, column 1: could not be turned back into SQL that PostgreSQL parses. " +
        'Write the query another way (a known case: subscripting an ARRAY[...] constructor); the engine runs only SQL it has verified\n' +
        '  SELECT (ARRAY[1, 2])[1] AS first\n' +
        '  ^',
    );
  });

  it('refuses an empty model', () => {
    expect(refusal('  \n').message).toContain(
      'is empty. Write one SELECT statement',
    );
    expect(refusal('-- nothing yet').message).toContain('holds no statement');
  });
});
