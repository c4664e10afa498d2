import { Entity, entityKindSchemaValidator } from '@backstage/catalog-model';
import {
  entityProblem,
  EntityValidationProblem,
  isObject,
} from './entityProblems';
import { IDENTIFIER_PATTERN, IDENTIFIER_RULE } from './identifiers';

/** The part of a JSON schema read here. */
interface Schema {
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  examples?: unknown[];
  pattern?: string;
}

/** A path into an entity: `['spec', 'columns', '0', 'name']`. */
type Path = string[];

/** A violation as `entityKindSchemaValidator` reports it: `/spec/type must be ... - allowedValues: a,b`. */
interface SchemaError {
  path: Path;
  message: string;
  params: Record<string, string>;
}

/** A problem found, and whether the copy was repaired so that validation can go on. */
interface Finding {
  problem: EntityValidationProblem;
  repaired: boolean;
}

/** How each pattern the kinds' schemas use reads in a problem. */
export const PATTERN_RULES: Readonly<Record<string, string>> = {
  [IDENTIFIER_PATTERN.source]: IDENTIFIER_RULE,
  '^[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*$':
    'must name a table as <schema>.<table>, both parts safe PostgreSQL identifiers (lower case letters, digits and underscores, not starting with a digit)',
  '\\S': 'must be a non-empty string',
};

const TYPE_RULES: Record<string, string> = {
  string: 'must be a string',
  boolean: 'must be true or false',
  array: 'must be a list',
  object: 'must be an object',
  number: 'must be a number',
  integer: 'must be a whole number',
};

/** The most problems reported for one entity. */
const MAX_PROBLEMS = 100;

// ['spec', 'columns', '0', 'name'] -> 'spec.columns[0].name'
function fieldName(path: Path): string {
  return path
    .map((part, index) =>
      /^\d+$/.test(part) ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`,
    )
    .join('');
}

function objectAt(
  root: unknown,
  path: Path,
): Record<string, unknown> | unknown[] | undefined {
  let current = root;
  for (const part of path) {
    if (!isObject(current) && !Array.isArray(current)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return isObject(current) || Array.isArray(current) ? current : undefined;
}

/** A value the schema documents as valid there: its const, first enum value or first example. */
function sampleOf(schema: Schema | undefined): unknown {
  return schema?.const ?? schema?.enum?.[0] ?? schema?.examples?.[0];
}

function parseSchemaError(error: unknown): SchemaError | undefined {
  const text = String((error as { message?: unknown })?.message ?? '');
  const match = /^(\/\S*|<root>) (.*?)(?: - (.*))?$/s.exec(text);
  if (!match) {
    return undefined;
  }
  const path =
    match[1] === '<root>'
      ? []
      : match[1]
          .split('/')
          .slice(1)
          .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params: Record<string, string> = {};
  for (const param of (match[3] ?? '').split(', ')) {
    const colon = param.indexOf(': ');
    if (colon > 0) {
      params[param.slice(0, colon)] = param.slice(colon + 2);
    }
  }
  return { path, message: match[2], params };
}

function lengthRule(
  error: SchemaError,
  schema: Schema | undefined,
  value: unknown,
): string {
  const limit = Number(error.params.limit);
  const fewer = error.message.startsWith('must NOT have fewer');
  if (error.message.endsWith('items')) {
    if (fewer) {
      return limit === 1
        ? 'must be a non-empty list'
        : `must have at least ${limit} items`;
    }
    return `must have at most ${limit} items`;
  }
  if (fewer) {
    return limit === 1
      ? 'must be a non-empty string'
      : `must be at least ${limit} characters long`;
  }
  const reason =
    schema?.pattern === IDENTIFIER_PATTERN.source
      ? ' (PostgreSQL truncates longer identifiers)'
      : '';
  const actual = typeof value === 'string' ? `, it is ${value.length}` : '';
  return `must be at most ${limit} characters long${reason}${actual}`;
}

/** The rule a schema violation breaks, phrased to follow the value. */
function readableRule(
  error: SchemaError,
  schema: Schema | undefined,
  value: unknown,
): string {
  const { params } = error;
  if (params.allowedValues !== undefined) {
    const allowed = schema?.enum ?? params.allowedValues.split(',');
    return `must be one of ${allowed.join(', ')}`;
  }
  if (params.allowedValue !== undefined) {
    return `must be ${params.allowedValue}`;
  }
  if (params.pattern !== undefined) {
    return (
      PATTERN_RULES[params.pattern] ??
      `must match the pattern ${params.pattern}`
    );
  }
  if (params.type !== undefined) {
    return TYPE_RULES[params.type] ?? `must be of type ${params.type}`;
  }
  if (params.limit !== undefined) {
    return lengthRule(error, schema, value);
  }
  return error.message;
}

/**
 * One kind's JSON schema, read for every violation in an entity. The
 * catalog's `entityKindSchemaValidator` reports the first violation only, so
 * after each one a copy of the entity is repaired (the offending value
 * removed, or replaced with a value the schema documents as valid) and
 * validated again, until it passes or a violation cannot be repaired.
 */
export class KindSchema {
  readonly #validate: (data: unknown) => Entity | false;
  readonly #own: Schema;

  constructor(schema: object) {
    this.#validate = entityKindSchemaValidator(schema);
    // The kind's own rules, beside the `$ref: Entity` envelope.
    this.#own =
      (schema as Schema).allOf?.find(part => !part.$ref) ?? (schema as Schema);
  }

  /** Every violation of the schema in the entity, as problems. */
  problems(entity: Entity): EntityValidationProblem[] {
    const copy = structuredClone(entity);
    const problems: EntityValidationProblem[] = [];
    while (problems.length < MAX_PROBLEMS) {
      const finding = this.#nextFinding(copy);
      // A field is reported once: a second violation there means the
      // repair did not take.
      if (!finding || problems.some(p => p.field === finding.problem.field)) {
        break;
      }
      problems.push(finding.problem);
      if (!finding.repaired) {
        break;
      }
    }
    return problems;
  }

  #nextFinding(copy: Entity): Finding | undefined {
    try {
      return this.#validate(copy) === false ? this.#wrongKind(copy) : undefined;
    } catch (error) {
      const parsed = parseSchemaError(error);
      if (!parsed) {
        return {
          problem: entityProblem('entity', undefined, String(error)),
          repaired: false,
        };
      }
      return this.#violation(copy, parsed);
    }
  }

  /** The kind's own subschema at an instance path (undefined inside the envelope). */
  #schemaAt(path: Path): Schema | undefined {
    let schema: Schema | undefined = this.#own;
    for (const part of path) {
      schema =
        schema?.properties?.[part] ??
        (/^\d+$/.test(part) ? schema?.items : undefined);
    }
    return schema;
  }

  // The validator answers false, rather than throwing, for another apiVersion or kind.
  #wrongKind(copy: Entity): Finding {
    const field =
      (['apiVersion', 'kind'] as const).find(
        key => !this.#schemaAt([key])?.enum?.includes(copy[key]),
      ) ?? 'kind';
    const expected = String(sampleOf(this.#schemaAt([field])));
    const problem = entityProblem(field, copy[field], `must be ${expected}`);
    copy[field] = expected;
    return { problem, repaired: true };
  }

  #violation(copy: Entity, error: SchemaError): Finding {
    const { path, params } = error;
    if (params.missingProperty !== undefined) {
      return this.#missing(copy, path, params.missingProperty);
    }
    if (params.passingSchemas !== undefined) {
      return this.#notExactlyOne(copy, path, params.passingSchemas);
    }
    if (params.additionalProperty !== undefined) {
      const known = Object.keys(this.#schemaAt(path)?.properties ?? {});
      return {
        problem: entityProblem(
          fieldName([...path, params.additionalProperty]),
          undefined,
          known.length
            ? `is not a known field; the known fields are ${known.join(', ')}`
            : 'is not a known field',
        ),
        repaired: this.#remove(copy, [...path, params.additionalProperty]),
      };
    }
    const schema = this.#schemaAt(path);
    if (!path.length) {
      return {
        problem: entityProblem(
          'entity',
          undefined,
          readableRule(error, schema, copy),
        ),
        repaired: false,
      };
    }
    const key = path[path.length - 1];
    const parent = objectAt(copy, path.slice(0, -1));
    const value = (parent as Record<string, unknown> | undefined)?.[key];
    const problem = entityProblem(
      fieldName(path),
      value,
      readableRule(error, schema, value),
    );
    // A documented value keeps the entity's shape (removing an optional
    // field could break a rule that needs it, such as oneOf).
    const repaired =
      this.#replace(copy, path, sampleOf(schema)) ||
      (!this.#schemaAt(path.slice(0, -1))?.required?.includes(key) &&
        this.#remove(copy, path));
    return { problem, repaired };
  }

  #missing(copy: Entity, path: Path, missing: string): Finding {
    const parent = this.#schemaAt(path);
    const alternatives = (parent?.oneOf ?? []).map(
      branch => branch.required?.[0] ?? '',
    );
    if (
      alternatives.includes(missing) &&
      !parent?.required?.includes(missing)
    ) {
      return this.#noneOf(copy, path, alternatives);
    }
    const schema = this.#schemaAt([...path, missing]);
    return {
      problem: entityProblem(
        fieldName([...path, missing]),
        undefined,
        schema?.enum
          ? `is required: one of ${schema.enum.join(', ')}`
          : 'is required',
      ),
      repaired: this.#replace(copy, [...path, missing], sampleOf(schema)),
    };
  }

  // A oneOf whose alternatives each require one property: `passing` lists the alternatives present.
  #notExactlyOne(copy: Entity, path: Path, passing: string): Finding {
    const names = (this.#schemaAt(path)?.oneOf ?? []).map(
      branch => branch.required?.[0] ?? '',
    );
    if (passing === 'null') {
      return this.#noneOf(copy, path, names);
    }
    const [first, ...others] = passing
      .split(',')
      .map(index => names[Number(index)]);
    return {
      problem: entityProblem(
        fieldName([...path, first]),
        undefined,
        `must not be set together with ${others
          .map(name => fieldName([...path, name]))
          .join(', ')}: give exactly one of them`,
      ),
      repaired: this.#remove(copy, [...path, first]),
    };
  }

  #noneOf(copy: Entity, path: Path, names: string[]): Finding {
    const [first, ...others] = names;
    return {
      problem: entityProblem(
        fieldName([...path, first]),
        undefined,
        `or ${others
          .map(name => fieldName([...path, name]))
          .join(' or ')} is required: give exactly one of them`,
      ),
      repaired: this.#replace(
        copy,
        [...path, first],
        sampleOf(this.#schemaAt([...path, first])),
      ),
    };
  }

  #remove(copy: Entity, path: Path): boolean {
    const parent = objectAt(copy, path.slice(0, -1));
    if (!path.length || !isObject(parent)) {
      return false;
    }
    delete parent[path[path.length - 1]];
    return true;
  }

  #replace(copy: Entity, path: Path, sample: unknown): boolean {
    const parent = objectAt(copy, path.slice(0, -1));
    if (!path.length || !parent || sample === undefined) {
      return false;
    }
    (parent as Record<string, unknown>)[path[path.length - 1]] =
      structuredClone(sample);
    return true;
  }
}
