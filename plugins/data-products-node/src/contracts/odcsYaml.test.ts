import { parseOdcsYaml, stringifyOdcsContract } from './odcsYaml';

describe('parseOdcsYaml', () => {
  it('reads a plain YAML document', () => {
    expect(parseOdcsYaml('apiVersion: v3.1.0\nkind: DataContract\n')).toEqual({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
    });
  });

  it('refuses a contract larger than the limit, saying its size', () => {
    expect(() => parseOdcsYaml(`x: "${'a'.repeat(200)}"`, { maxBytes: 100 })).toThrow(
      'The data contract is 205 bytes, more than the 100 bytes the portal reads',
    );
  });

  it('refuses an alias bomb before it expands', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(
        `${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`,
      );
    }
    expect(() => parseOdcsYaml(levels.join('\n'))).toThrow(
      /The data contract is refused: Excessive alias count/,
    );
  });

  it('never resolves a custom tag', () => {
    expect(() =>
      parseOdcsYaml('id: !!js/function "function () { return 1 }"'),
    ).toThrow(/The data contract is not valid YAML: .*tag/i);
    expect(() => parseOdcsYaml('id: !custom x')).toThrow(/tag/i);
  });

  it('refuses duplicate keys and several documents', () => {
    expect(() => parseOdcsYaml('id: a\nid: b\n')).toThrow(
      /not valid YAML: Map keys must be unique/,
    );
    expect(() => parseOdcsYaml('id: a\n---\nid: b\n')).toThrow(
      /not valid YAML/,
    );
  });
});

describe('stringifyOdcsContract', () => {
  it('writes multi-line text as a block and never an alias', () => {
    const shared = { property: 'x', value: 'y' };
    const text = stringifyOdcsContract({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'c',
      version: '1.0.0',
      status: 'active',
      customProperties: [shared, shared, { property: 'model', value: 'SELECT 1\nFROM t\n' }],
    });
    expect(text).not.toMatch(/[&*]a\d/);
    expect(text).toContain('value: |\n      SELECT 1\n      FROM t\n');
    expect(parseOdcsYaml(text)).toMatchObject({ id: 'c' });
  });
});
