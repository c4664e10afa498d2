import { InputError } from '@backstage/errors';
import type { OdcsDataContract } from '@dataproducts/plugin-data-products-common';
import YAML from 'yaml';

/** The largest contract the portal reads: 1 MiB of YAML. */
export const MAX_CONTRACT_BYTES = 1024 * 1024;

/** The most aliases a contract may use (`*anchor`), against alias bombs. */
const MAX_ALIASES = 100;

/**
 * A data contract as YAML: block scalars for multi-line text such as model
 * SQL, no anchors or aliases, no line folding, so that the same contract is
 * always the same text.
 */
export function stringifyOdcsContract(contract: OdcsDataContract): string {
  return YAML.stringify(contract, {
    aliasDuplicateObjects: false,
    lineWidth: 0,
  });
}

/**
 * Parses the text of a data contract as one plain YAML document: at most
 * `maxBytes` (1 MiB by default), the core schema only (a tag such as
 * `!!js/function` or `!custom` is refused, never resolved), unique keys, and
 * at most 100 aliases (an alias bomb is refused before it expands). Throws an
 * `InputError` that says what is wrong and where.
 */
export function parseOdcsYaml(
  text: string,
  options: { maxBytes?: number; source?: string } = {},
): unknown {
  const maxBytes = options.maxBytes ?? MAX_CONTRACT_BYTES;
  const source = options.source ?? 'The data contract';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new InputError(
      `${source} is ${bytes} bytes, more than the ${maxBytes} bytes the portal reads: give a smaller contract (one output port per contract)`,
    );
  }
  const doc = YAML.parseDocument(text, {
    schema: 'core',
    customTags: [],
    uniqueKeys: true,
    merge: false,
    prettyErrors: true,
  });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    throw new InputError(
      `${source} is not valid YAML: ${problem.message.split('\n')[0]}`,
    );
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new InputError(
      `${source} is refused: ${(error as Error).message} (at most ${MAX_ALIASES} aliases)`,
    );
  }
}
