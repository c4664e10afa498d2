import { CheckedModel, checkModel } from '../model';
import { ResolvedInput } from './types';

/** A declared input with the schema its product is provisioned in. */
export interface ProvisionedInput extends ResolvedInput {
  schema: string;
}

/**
 * Turns a port's model SQL as written into the SELECT the engine runs: the
 * model is parsed by PostgreSQL's grammar, each
 * `{{ source('<product>', '<port>') }}` is matched to a declared input and
 * resolved to that port's relation on the tree, the tree is checked, and the
 * checked tree is deparsed; the deparsed SQL (`sql` of the result) is what
 * runs, never the text. Throws an `InputError` pointing at the line and
 * column of the model before any of it runs. This is the one place model
 * text is handled.
 */
export function compileModel(
  portName: string,
  model: string,
  inputs: readonly ProvisionedInput[],
): CheckedModel<ProvisionedInput> {
  return checkModel(model, {
    portName,
    inputs,
    resolve: input => ({ schema: input.schema, name: input.port }),
  });
}
