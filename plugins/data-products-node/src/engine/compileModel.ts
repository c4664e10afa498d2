import {
  CompiledModel,
  compileMatched,
  matchModelReferences,
  singleStatement,
} from './model';
import { qualifiedName } from './sql';
import { ResolvedInput } from './types';

/** A declared input with the schema its product is provisioned in. */
export interface ProvisionedInput extends ResolvedInput {
  schema: string;
}

/**
 * Turns a port's model SQL as written into the SELECT the engine runs: one
 * statement, each `{{ source('<product>', '<port>') }}` matched to a declared
 * input and replaced by that port's quoted physical name. Throws an
 * `InputError` naming what is wrong before any of it runs. This is the one
 * place model text is handled.
 */
export function compileModel(
  portName: string,
  model: string,
  inputs: ProvisionedInput[],
): CompiledModel {
  const text = singleStatement(portName, model);
  const references = matchModelReferences(portName, text, inputs);
  return compileMatched(text, references, input => {
    const provisioned = inputs.find(
      i => i.product === input.product && i.port === input.port,
    )!;
    return qualifiedName(provisioned.schema, provisioned.port);
  });
}
