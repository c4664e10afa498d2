import Ajv2019, { ErrorObject } from 'ajv/dist/2019';
import { entityProblem, EntityValidationProblem } from '../entityProblems';
import schema from './odcs-v3.1.0.schema.json';

/** Our JSON schema (draft 2019-09) of an ODCS v3.1.0 data contract. */
export const odcsDataContractSchema = schema;

const ajv = new Ajv2019({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

// '/schema/0/properties/2/physicalType' -> 'schema[0].properties[2].physicalType'
function fieldName(instancePath: string, child?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  const joined = parts
    .map((part, index) =>
      /^\d+$/.test(part) ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`,
    )
    .join('');
  return joined || 'the contract';
}

function valueAt(doc: unknown, instancePath: string): unknown {
  return instancePath
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (value, part) =>
        value && typeof value === 'object'
          ? (value as Record<string, unknown>)[part]
          : undefined,
      doc,
    );
}

function toProblem(doc: unknown, error: ErrorObject): EntityValidationProblem {
  const { keyword, params, instancePath } = error;
  const field = fieldName(instancePath);
  const value = valueAt(doc, instancePath);
  switch (keyword) {
    case 'required':
      return entityProblem(
        fieldName(instancePath, String(params.missingProperty)),
        undefined,
        'is required by ODCS v3.1.0',
      );
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(
        params.additionalProperty ?? params.unevaluatedProperty,
      );
      return entityProblem(
        fieldName(instancePath, name),
        undefined,
        'is not a field ODCS v3.1.0 defines here: put it under customProperties',
      );
    }
    case 'enum':
      return entityProblem(
        field,
        value,
        `must be one of ${(params.allowedValues as unknown[]).join(', ')}`,
      );
    case 'type':
      return entityProblem(field, value, `must be of type ${params.type}`);
    case 'minLength':
      return entityProblem(field, value, 'must be a non-empty string');
    default:
      return entityProblem(field, value, error.message ?? keyword);
  }
}

/**
 * Validates a parsed document against our JSON schema of ODCS v3.1.0 (Ajv,
 * draft 2019-09). Returns every violation, one per field, each naming the
 * field (`schema[0].properties[2].physicalType`), the value and the rule; an
 * empty list means the document is a valid contract.
 */
export function validateOdcsContract(doc: unknown): EntityValidationProblem[] {
  if (validate(doc)) {
    return [];
  }
  const errors = validate.errors ?? [];
  // The if/then and oneOf wrappers only repeat what their branches say.
  const problems: EntityValidationProblem[] = [];
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'oneOf') continue;
    const problem = toProblem(doc, error);
    if (!problems.some(p => p.field === problem.field)) {
      problems.push(problem);
    }
  }
  return problems;
}
