import {
  compileMatched,
  matchModelReferences,
  originalOffset,
  pointAt,
  singleStatement,
} from './model';

const inputs = [
  { ref: 'outputport:a-b-p', product: 'a-b', port: 'p' },
  { ref: 'outputport:c-q', product: 'c', port: 'q' },
];

describe('model SQL', () => {
  it('accepts one statement with an optional trailing semicolon', () => {
    expect(singleStatement('x', 'SELECT 1;  -- done\n')).toBe('SELECT 1');
    expect(
      singleStatement('x', `SELECT ';', "a;b", $q$;$q$ /* ; /* ; */ */ FROM t`),
    ).toBe(`SELECT ';', "a;b", $q$;$q$ /* ; /* ; */ */ FROM t`);
    expect(singleStatement('x', "SELECT 'it''s; fine'")).toBe(
      "SELECT 'it''s; fine'",
    );
  });

  it('refuses a second statement', () => {
    expect(() => singleStatement('x', 'SELECT 1; RESET ROLE')).toThrow(
      "Model SQL of output port 'x' must be a single SELECT statement",
    );
    expect(() => singleStatement('x', "SELECT 'a'';' ; DROP TABLE t")).toThrow(
      /single SELECT statement/,
    );
  });

  it('matches references to declared inputs, with _ and - alike', () => {
    const matched = matchModelReferences(
      'out',
      'SELECT * FROM {{ source(\'a_b\', \'p\') }} JOIN {{ source("c", "q") }} USING (id)',
      inputs,
    );
    expect(matched.map(m => m.input.ref)).toEqual([
      'outputport:a-b-p',
      'outputport:c-q',
    ]);
  });

  it('names an undeclared reference and lists the declared inputs', () => {
    expect(() =>
      matchModelReferences(
        'out',
        "SELECT * FROM {{ source('z', 'p') }}",
        inputs,
      ),
    ).toThrow(
      "reads {{ source('z', 'p') }}, but port 'p' of data product 'z' is not among the product's declared inputs (declared inputs: source('a-b', 'p') (outputport:a-b-p), source('c', 'q') (outputport:c-q))",
    );
  });

  it('maps compiled offsets back onto the model text', () => {
    const text = "SELECT x\nFROM {{ source('c', 'q') }} t\nWHERE t.bad = 1";
    const matched = matchModelReferences('out', text, inputs);
    const compiled = compileMatched(text, matched, () => '"c_schema"."q"');
    expect(compiled.sql).toBe(
      'SELECT x\nFROM "c_schema"."q" t\nWHERE t.bad = 1',
    );
    const bad = compiled.sql.indexOf('t.bad');
    expect(pointAt(text, originalOffset(compiled, bad))).toBe(
      'line 3, column 7:\n  WHERE t.bad = 1\n        ^',
    );
    expect(originalOffset(compiled, compiled.sql.indexOf('"q"'))).toBe(
      text.indexOf('{{'),
    );
  });
});
