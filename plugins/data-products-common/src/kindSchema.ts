import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { Entity, entitySchemaValidator } from '@backstage/catalog-model';
import { entityProblem, EntityValidationProblem } from './entityProblems';
import { IDENTIFIER_PATTERN, IDENTIFIER_RULE } from './identifiers';

/** The part of a JSON schema read here. */
interface Schema {
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
}

/** How each pattern the kinds' schemas use reads in a problem. */
export const PATTERN_RULES: Readonly<Record<string, string>> = {
  [IDENTIFIER_PATTERN.source]: IDENTIFIER_RULE,
  '^[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*$':
    'must name a table as <schema>.<table>, both parts safe PostgreSQL identifiers (lower case letters, digits and underscores, not starting with a digit)',
  '\\S': 'must be a non-empty string',
  '^(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})$':
    'must be a version MAJOR.MINOR.PATCH, e.g. 1.0.0 or 2.1.0',
  '^\\S+( \\S+){4}$':
    'must be a cron expression of five fields (minute hour day month weekday, UTC), e.g. 0 * * * *',
  '^P(?!$)(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$':
    'must be an ISO 8601 duration in days, hours, minutes or seconds, e.g. PT1H, PT30M or P1D',
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$':
    'must be a date YYYY-MM-DD, e.g. 2027-03-31',
  '^[a-z][a-z0-9_-]*$':
    'must be a lower-case word (letters, digits, _ and -), e.g. pii or confidential',
};

const TYPE_RULES: Record<string, string> = {
  string: 'must be a string',
  boolean: 'must be true or false',
  array: 'must be a list',
  object: 'must be an object',
  number: 'must be a number',
  integer: 'must be a whole number',
};

// '/spec/columns/0/name' -> 'spec.columns[0].name'
function fieldName(instancePath: string, child?: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) {
    parts.push(child);
  }
  return parts
    .map((part, index) =>
      /^\d+$/.test(part) ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`,
    )
    .join('');
}

function lengthRule(error: ErrorObject, value: unknown): string {
  const limit = Number(error.params.limit);
  switch (error.keyword) {
    case 'minItems':
      return limit === 1
        ? 'must be a non-empty list'
        : `must have at least ${limit} items`;
    case 'maxItems':
      return `must have at most ${limit} items`;
    case 'minLength':
      return limit === 1
        ? 'must be a non-empty string'
        : `must be at least ${limit} characters long`;
    default: {
      const reason =
        (error.parentSchema as Schema | undefined)?.pattern ===
        IDENTIFIER_PATTERN.source
          ? ' (PostgreSQL truncates longer identifiers)'
          : '';
      const actual = typeof value === 'string' ? `, it is ${value.length}` : '';
      return `must be at most ${limit} characters long${reason}${actual}`;
    }
  }
}

/** Each oneOf alternative's one required property: `['model', 'source']`. */
function alternativesOf(error: ErrorObject): string[] {
  return ((error.schema as Schema[] | undefined) ?? []).map(
    branch => branch.required?.[0] ?? '',
  );
}

/** One schema error as a problem: the field, its value and the rule it breaks. */
function toProblem(error: ErrorObject): EntityValidationProblem {
  const { keyword, params, instancePath, data } = error;
  const field = fieldName(instancePath);
  switch (keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const values = (error.parentSchema as Schema | undefined)?.properties?.[
        missing
      ]?.enum;
      return entityProblem(
        fieldName(instancePath, missing),
        undefined,
        values ? `is required: one of ${values.join(', ')}` : 'is required',
      );
    }
    case 'additionalProperties': {
      const known = Object.keys(
        (error.parentSchema as Schema | undefined)?.properties ?? {},
      );
      return entityProblem(
        fieldName(instancePath, String(params.additionalProperty)),
        undefined,
        known.length
          ? `is not a known field; the known fields are ${known.join(', ')}`
          : 'is not a known field',
      );
    }
    case 'oneOf': {
      const names = alternativesOf(error);
      if (params.passingSchemas === null) {
        const [first, ...others] = names;
        return entityProblem(
          fieldName(instancePath, first),
          undefined,
          `or ${others
            .map(name => fieldName(instancePath, name))
            .join(' or ')} is required: give exactly one of them`,
        );
      }
      const [first, ...others] = (params.passingSchemas as number[]).map(
        index => names[index],
      );
      return entityProblem(
        fieldName(instancePath, first),
        undefined,
        `must not be set together with ${others
          .map(name => fieldName(instancePath, name))
          .join(', ')}: give exactly one of them`,
      );
    }
    case 'enum': {
      const allowed = params.allowedValues as unknown[];
      return entityProblem(
        field,
        data,
        allowed.length === 1
          ? `must be ${allowed[0]}`
          : `must be one of ${allowed.join(', ')}`,
      );
    }
    case 'pattern':
      return entityProblem(
        field,
        data,
        PATTERN_RULES[String(params.pattern)] ??
          `must match the pattern ${params.pattern}`,
      );
    case 'type':
      return entityProblem(
        field,
        data,
        TYPE_RULES[String(params.type)] ?? `must be of type ${params.type}`,
      );
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
      return entityProblem(field, data, lengthRule(error, data));
    default:
      return entityProblem(field || 'entity', data, error.message ?? keyword);
  }
}

/** The value at a JSON pointer (`/metadata/tags`) in an entity. */
function valueAt(entity: Entity, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (value, part) =>
        value && typeof value === 'object'
          ? (value as Record<string, unknown>)[part]
          : undefined,
      entity,
    );
}

/**
 * The catalog envelope's first violation, as a problem. The catalog's
 * validator reports it as text: `/metadata/tags must be array - type: array`.
 */
function envelopeProblem(
  entity: Entity,
  error: unknown,
): EntityValidationProblem {
  const text = String((error as Error)?.message ?? error);
  const match = /^(\/\S*) must be (\w+)/.exec(text);
  if (match && TYPE_RULES[match[2]]) {
    return entityProblem(
      fieldName(match[1]),
      valueAt(entity, match[1]),
      TYPE_RULES[match[2]],
    );
  }
  return entityProblem('entity', undefined, text);
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });

/**
 * One kind's JSON schema, applied with every violation reported: the
 * catalog's own entity envelope validator for the envelope, and Ajv with
 * `allErrors` for the kind's part of the schema (beside its `$ref: Entity`).
 */
export class KindSchema {
  readonly #validateEnvelope: (data: unknown) => Entity;
  readonly #validateKind: ValidateFunction;

  constructor(schema: object) {
    this.#validateEnvelope = entitySchemaValidator();
    const own =
      (schema as Schema).allOf?.find(part => !part.$ref) ?? (schema as Schema);
    this.#validateKind = ajv.compile(own);
  }

  /** Every violation of the schema in the entity, one problem per field. */
  problems(entity: Entity): EntityValidationProblem[] {
    try {
      this.#validateEnvelope(entity);
    } catch (error) {
      return [envelopeProblem(entity, error)];
    }
    if (this.#validateKind(entity)) {
      return [];
    }
    const errors = this.#validateKind.errors ?? [];
    // A oneOf is reported once, by itself, not through its alternatives' errors.
    const oneOfPaths = errors
      .filter(e => e.keyword === 'oneOf')
      .map(e => `${e.schemaPath}/`);
    const problems: EntityValidationProblem[] = [];
    for (const error of errors) {
      if (oneOfPaths.some(path => error.schemaPath.startsWith(path))) {
        continue;
      }
      const problem = toProblem(error);
      if (!problems.some(p => p.field === problem.field)) {
        problems.push(problem);
      }
    }
    return problems;
  }
}
