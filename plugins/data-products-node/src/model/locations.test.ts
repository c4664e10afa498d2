import { locateExecutionError } from './executionErrors';
import { locateInModel } from './location';
import { check, demoModels, useModelParser } from './__testUtils__/demoModels';

useModelParser();

const CUSTOMERS = "{{ source('sales_crm_customers', 'customers') }}";

describe('error positions', () => {
  describe('syntax errors', () => {
    it('point at the line and column of the model as written', () => {
      const model = `SELECT c.id,\n       c.email\nFROM ${CUSTOMERS} c\nWHERE c.id = )`;
      expect(() => check(model)).toThrow(
        'Model SQL of output port \'out\', line 4, column 14: PostgreSQL cannot parse it: syntax error at or near ")". ' +
          'Fix the SQL there; a model is one PostgreSQL SELECT statement\n' +
          '  WHERE c.id = )\n' +
          '               ^',
      );
    });

    it('count characters, not bytes, after non-ASCII text', () => {
      const model = `SELECT 'Zoë 😀' AS name, 1 +\n  FROM ${CUSTOMERS} c`;
      expect(() => check(model)).toThrow(
        'line 2, column 3: PostgreSQL cannot parse it: syntax error at or near "FROM"',
      );
      expect(() => check(`SELECT 'Zoë 😀', x y z`)).toThrow(
        'line 1, column 21: PostgreSQL cannot parse it: syntax error at or near "z"',
      );
    });

    it('are not shifted by source() references before them', () => {
      const model = `SELECT * FROM ${CUSTOMERS} c JOIN ${CUSTOMERS} d ON ON`;
      expect(() => check(model)).toThrow(
        `line 1, column ${
          model.lastIndexOf('ON') + 1
        }: PostgreSQL cannot parse it: syntax error at or near "ON"`,
      );
    });

    it.each([
      [
        'a string',
        `SELECT *\nFROM ${CUSTOMERS} c\nWHERE c.email = 'abc`,
        3,
        17,
        'unterminated quoted string',
      ],
      [
        'a quoted name',
        `SELECT "abc FROM ${CUSTOMERS}`,
        1,
        8,
        'unterminated quoted identifier',
      ],
      [
        'a comment',
        `SELECT 1 /* never closed`,
        1,
        10,
        'unterminated /* comment',
      ],
      [
        'a dollar quote',
        `SELECT $x$ never closed`,
        1,
        8,
        'unterminated dollar-quoted string',
      ],
      [
        'a string inside a reference',
        `SELECT * FROM {{ source('sales_crm_customers', 'customers) }}`,
        1,
        48,
        'unterminated quoted string',
      ],
    ])('point at an unterminated %s', (_, model, line, column, message) => {
      expect(() => check(model)).toThrow(
        `line ${line}, column ${column}: PostgreSQL cannot parse it: ${message}`,
      );
    });

    it('point at a number run into a word', () => {
      expect(() =>
        check(
          `SELECT c.id\nFROM {{- source('sales_crm_customers', 'customers') -}} c\nLIMIT 10rows`,
        ),
      ).toThrow(
        'line 3, column 7: PostgreSQL cannot parse it: trailing junk after numeric literal at or near "10rows"',
      );
    });
  });

  it('refusals point at the offending call in a multi-line model', () => {
    const model = `SELECT\n  c.id,\n  pg_sleep(600) AS delay\nFROM ${CUSTOMERS} c`;
    expect(() => check(model)).toThrow(
      'line 3, column 3: calls pg_sleep(), which models may not call',
    );
  });

  describe('locateInModel', () => {
    it('gives the line, the column and the line with a caret', () => {
      const text = 'SELECT 1\nFROM t\nWHERE x';
      expect(locateInModel(text, text.indexOf('t\n'))).toEqual({
        offset: 14,
        line: 2,
        column: 6,
        excerpt: '  FROM t\n       ^',
      });
    });

    it('keeps tabs so the caret lines up, and handles CRLF line ends', () => {
      const text = 'SELECT 1\r\n\tFROM\tt';
      expect(locateInModel(text, text.lastIndexOf('t')).excerpt).toBe(
        '  \tFROM\tt\n  \t    \t^',
      );
    });

    it('shows a window of a very long line', () => {
      const text = `SELECT ${'x, '.repeat(200)}bad`;
      const { column, excerpt } = locateInModel(text, text.indexOf('bad'));
      expect(column).toBe(608);
      const [shown, caret] = excerpt.split('\n');
      expect(shown.startsWith('  …')).toBe(true);
      expect(shown.length).toBeLessThan(110);
      expect(shown.slice(caret.indexOf('^'), caret.indexOf('^') + 3)).toBe(
        'bad',
      );
    });
  });

  describe('locateExecutionError', () => {
    // PostgreSQL reports `position` 1-based, in characters of the SQL it ran.
    const positionOf = (sql: string, text: string) => sql.indexOf(text) + 1;

    it('maps an unknown column in the SQL that ran to the model as written', () => {
      const model = `-- customers with their e-mail\nSELECT c.id,\n       lower(c.emial) AS email\nFROM ${CUSTOMERS} c`;
      const checked = check(model);
      const location = locateExecutionError(
        checked,
        positionOf(checked.sql, 'c.emial'),
      );
      expect(location).toMatchObject({ line: 3, column: 14 });
      expect(location.excerpt).toBe(
        '         lower(c.emial) AS email\n               ^',
      );
    });

    it('maps a function error to the call, past non-ASCII text', () => {
      const model = `SELECT 'Zoë 😀' AS name,\n  upper(c.id) AS shout\nFROM ${CUSTOMERS} c`;
      const checked = check(model);
      expect(
        locateExecutionError(checked, positionOf(checked.sql, 'upper(')),
      ).toMatchObject({ line: 2, column: 3 });
    });

    it('maps an error on a resolved input to its source() reference', () => {
      const model = `SELECT c.id\nFROM ${CUSTOMERS} c`;
      const checked = check(model);
      expect(
        locateExecutionError(
          checked,
          positionOf(checked.sql, 'sales_crm.customers'),
        ),
      ).toMatchObject({ line: 2, column: 6 });
    });

    it('maps an error in the demo model to the same expression as written', () => {
      const [demo] = demoModels();
      const checked = check(demo.model);
      const location = locateExecutionError(
        checked,
        positionOf(checked.sql, 's.shipped_date - o.order_date'),
      );
      expect(demo.model.slice(location.offset)).toMatch(
        /^s\.shipped_date - o\.order_date\)::INTEGER AS days_from_order_to_ship/,
      );
    });

    it('falls back to the start of the statement for a position outside the SQL', () => {
      const checked = check(`-- the answer\n  SELECT 1 AS one`);
      expect(locateExecutionError(checked, 0)).toMatchObject({
        line: 2,
        column: 3,
      });
      expect(locateExecutionError(checked, 10_000)).toMatchObject({
        line: 2,
        column: 3,
      });
    });
  });
});
