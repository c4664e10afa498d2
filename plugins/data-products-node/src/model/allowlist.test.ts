import fs from 'node:fs';
import path from 'node:path';
import {
  functionRefusalReason,
  MODEL_FUNCTION_FAMILIES,
  MODEL_FUNCTIONS,
  MODEL_TYPES,
} from './allowlist';

const DOC = path.resolve(__dirname, '../../../../docs/model-safety.md');

describe('the allowlist', () => {
  it('is the one docs/model-safety.md lists, family by family', () => {
    const doc = fs.readFileSync(DOC, 'utf8');
    for (const [family, names] of Object.entries(MODEL_FUNCTION_FAMILIES)) {
      const row = doc.split('\n').find(line => line.startsWith(`| ${family} `));
      expect(row).toBeDefined();
      const documented = row!
        .split('|')[2]
        .split('(')[0]
        .match(/`[a-z0-9_]+`/g)!
        .map(name => name.slice(1, -1));
      expect(documented).toEqual(names);
    }
    for (const type of MODEL_TYPES) {
      expect(doc).toContain(`\`${type}\``);
    }
  });

  it('holds none of the functions refused for a known reason', () => {
    expect([...MODEL_FUNCTIONS].filter(functionRefusalReason)).toEqual([]);
  });
});
