import {
  DEFAULT_NAMESPACE,
  Entity,
  entityKindSchemaValidator,
  KindValidator,
} from '@backstage/catalog-model';
import dataProductSchema from './schema/DataProduct.v1alpha1.schema.json';
import outputPortSchema from './schema/OutputPort.v1alpha1.schema.json';
import { validateColumnType } from './columnTypes';
import { validateIdentifier, validateSchemaName } from './identifiers';
import {
  parseDataProductInputRef,
  parseDataProductRef,
  parseDomainRef,
  parseOwnerRef,
} from './refs';
import {
  parseSourceReferences,
  SourceReferenceError,
} from './sourceReferences';
import {
  DATA_PRODUCT_KIND,
  DATA_PRODUCTS_API_VERSION,
  DataProductEntityV1alpha1,
  OUTPUT_PORT_KIND,
  OutputPortEntityV1alpha1,
} from './types';

/** The JSON schema (draft-07) of the DataProduct kind. */
export const dataProductEntityV1alpha1Schema = dataProductSchema;

/** The JSON schema (draft-07) of the OutputPort kind. */
export const outputPortEntityV1alpha1Schema = outputPortSchema;

/** One broken rule in a DataProduct or OutputPort entity. */
export interface EntityValidationProblem {
  /** The field, as a path: `spec.columns[2].type`. */
  field: string;
  /** The offending value (`undefined` when the field is missing). */
  value: unknown;
  /** The rule, phrased to follow the value: `must be a non-empty string`. */
  rule: string;
  /** A sentence naming the field, the value and the rule. */
  message: string;
}

const DATA_PRODUCT_TYPES = ['source-aligned', 'aggregate', 'consumer-aligned'];
const OUTPUT_PORT_TYPES = ['postgres-table', 'postgres-view'];
const OUTPUT_PORT_ACCESS = ['restricted', 'unrestricted'];
const DATA_PRODUCT_SPEC_FIELDS = [
  'type',
  'lifecycle',
  'owner',
  'domain',
  'schema',
  'inputs',
];
const OUTPUT_PORT_SPEC_FIELDS = [
  'dataProduct',
  'name',
  'type',
  'access',
  'owner',
  'source',
  'model',
  'columns',
];
const COLUMN_FIELDS = [
  'name',
  'type',
  'description',
  'required',
  'unique',
  'primaryKey',
];

function formatValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function problem(
  field: string,
  value: unknown,
  rule: string,
): EntityValidationProblem {
  const message =
    value === undefined
      ? `${field} ${rule}`
      : `${field}: ${formatValue(value)} ${rule}`;
  return { field, value, rule, message };
}

class Problems {
  readonly list: EntityValidationProblem[] = [];

  add(field: string, value: unknown, rule: string) {
    this.list.push(problem(field, value, rule));
  }

  /** Checks a required, non-empty string; returns it when present. */
  requiredString(field: string, value: unknown): string | undefined {
    if (value === undefined || value === null) {
      this.add(field, undefined, 'is required');
      return undefined;
    }
    return this.optionalString(field, value);
  }

  optionalString(field: string, value: unknown): string | undefined {
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.add(field, value, 'must be a non-empty string');
      return undefined;
    }
    return value;
  }

  oneOf(field: string, value: unknown, allowed: string[], required = true) {
    if (value === undefined && !required) {
      return;
    }
    if (value === undefined) {
      this.add(field, undefined, `is required: one of ${allowed.join(', ')}`);
    } else if (typeof value !== 'string' || !allowed.includes(value)) {
      this.add(field, value, `must be one of ${allowed.join(', ')}`);
    }
  }

  ref(
    field: string,
    value: unknown,
    parse: (ref: string) => unknown,
    required: boolean,
  ) {
    const ref = required
      ? this.requiredString(field, value)
      : this.optionalString(field, value);
    if (ref === undefined) {
      return;
    }
    try {
      parse(ref);
    } catch (error) {
      this.add(
        field,
        ref,
        `is not a valid entity reference: ${(error as Error).message}`,
      );
    }
  }

  knownFields(field: string, value: object, known: string[]) {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.add(
          `${field}.${key}`,
          undefined,
          `is not a known field; the known fields are ${known.join(', ')}`,
        );
      }
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// "/spec/columns/0/name" -> "spec.columns[0].name"
function ajvPathToField(path: string): string {
  return path
    .split('/')
    .filter(Boolean)
    .map((part, index) =>
      /^\d+$/.test(part) ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`,
    )
    .join('');
}

function schemaProblems(
  validate: (data: unknown) => unknown,
  entity: Entity,
): EntityValidationProblem[] {
  try {
    validate(entity);
    return [];
  } catch (error) {
    const text = (error as Error).message;
    const match = /^(\/\S*|<root>) (.*)$/.exec(text);
    if (!match) {
      return [problem('entity', undefined, text)];
    }
    const field = match[1] === '<root>' ? 'entity' : ajvPathToField(match[1]);
    return [problem(field, undefined, match[2])];
  }
}

function checkEnvelope(
  entity: Entity,
  kind: string,
  problems: Problems,
): Record<string, unknown> | undefined {
  if (entity.apiVersion !== DATA_PRODUCTS_API_VERSION) {
    problems.add(
      'apiVersion',
      entity.apiVersion,
      `must be ${DATA_PRODUCTS_API_VERSION}`,
    );
  }
  if (entity.kind !== kind) {
    problems.add('kind', entity.kind, `must be ${kind}`);
  }
  if (!isObject(entity.spec)) {
    problems.add('spec', entity.spec, 'is required and must be an object');
    return undefined;
  }
  return entity.spec;
}

const dataProductSchemaValidator =
  entityKindSchemaValidator<DataProductEntityV1alpha1>(dataProductSchema);
const outputPortSchemaValidator =
  entityKindSchemaValidator<OutputPortEntityV1alpha1>(outputPortSchema);

/**
 * Validates a DataProduct entity against its JSON schema and the rules
 * beyond it (safe schema name, entity refs of the right kinds, no duplicate
 * inputs). Returns every broken rule, each naming the field, the value and the
 * rule; an empty list means the entity is valid.
 */
export function validateDataProductEntity(
  entity: Entity,
): EntityValidationProblem[] {
  const problems = new Problems();
  const spec = checkEnvelope(entity, DATA_PRODUCT_KIND, problems);
  if (spec) {
    const context = {
      defaultNamespace: entity.metadata?.namespace ?? DEFAULT_NAMESPACE,
    };
    problems.knownFields('spec', spec, DATA_PRODUCT_SPEC_FIELDS);
    problems.oneOf('spec.type', spec.type, DATA_PRODUCT_TYPES);
    problems.requiredString('spec.lifecycle', spec.lifecycle);
    problems.ref(
      'spec.owner',
      spec.owner,
      ref => parseOwnerRef(ref, context),
      true,
    );
    problems.ref(
      'spec.domain',
      spec.domain,
      ref => parseDomainRef(ref, context),
      false,
    );
    const schema = problems.requiredString('spec.schema', spec.schema);
    if (schema !== undefined) {
      const rule = validateSchemaName(schema);
      if (rule) {
        problems.add('spec.schema', schema, rule);
      }
    }
    if (spec.inputs !== undefined) {
      if (!Array.isArray(spec.inputs)) {
        problems.add(
          'spec.inputs',
          spec.inputs,
          'must be a list of entity references',
        );
      } else {
        const seen = new Map<string, number>();
        spec.inputs.forEach((input, index) => {
          const field = `spec.inputs[${index}]`;
          const ref = problems.requiredString(field, input);
          if (ref === undefined) {
            return;
          }
          try {
            const parsed = parseDataProductInputRef(ref, context);
            const key =
              `${parsed.kind}:${parsed.namespace}/${parsed.name}`.toLocaleLowerCase(
                'en-US',
              );
            const first = seen.get(key);
            if (first !== undefined) {
              problems.add(
                field,
                ref,
                `is listed twice (also spec.inputs[${first}]): each input must appear once`,
              );
            } else {
              seen.set(key, index);
            }
          } catch (error) {
            problems.add(
              field,
              ref,
              `is not a valid input: ${(error as Error).message}`,
            );
          }
        });
      }
    }
  }
  if (problems.list.length) {
    return problems.list;
  }
  return schemaProblems(dataProductSchemaValidator, entity);
}

function checkColumns(columns: unknown, problems: Problems) {
  if (columns === undefined) {
    problems.add('spec.columns', undefined, 'is required: list the columns');
    return;
  }
  if (!Array.isArray(columns) || columns.length === 0) {
    problems.add(
      'spec.columns',
      columns,
      'must be a non-empty list of columns',
    );
    return;
  }
  const seen = new Map<string, number>();
  columns.forEach((column, index) => {
    const field = `spec.columns[${index}]`;
    if (!isObject(column)) {
      problems.add(field, column, 'must be an object with a name and a type');
      return;
    }
    problems.knownFields(field, column, COLUMN_FIELDS);
    const name = problems.requiredString(`${field}.name`, column.name);
    if (name !== undefined) {
      const rule = validateIdentifier(name);
      if (rule) {
        problems.add(`${field}.name`, name, rule);
      }
      const first = seen.get(name);
      if (first !== undefined) {
        problems.add(
          `${field}.name`,
          name,
          `is a duplicate column name (also spec.columns[${first}].name): column names must be unique`,
        );
      } else {
        seen.set(name, index);
      }
    }
    const type = problems.requiredString(`${field}.type`, column.type);
    if (type !== undefined) {
      const rule = validateColumnType(type);
      if (rule) {
        problems.add(`${field}.type`, type, rule);
      }
    }
    if (column.description !== undefined) {
      if (typeof column.description !== 'string') {
        problems.add(
          `${field}.description`,
          column.description,
          'must be a string',
        );
      }
    }
    for (const flag of ['required', 'unique', 'primaryKey']) {
      if (column[flag] !== undefined && typeof column[flag] !== 'boolean') {
        problems.add(`${field}.${flag}`, column[flag], 'must be true or false');
      }
    }
    if (column.primaryKey === true && column.required === false) {
      problems.add(
        `${field}.required`,
        false,
        'contradicts primaryKey: true (a primary key column is never null)',
      );
    }
  });
}

/**
 * Validates an OutputPort entity against its JSON schema and the rules beyond
 * it (safe port and column names, column types from the documented set, no
 * duplicate column names, `model` xor `source`, well-formed `source()`
 * references). Returns every broken rule, each naming the field, the value and
 * the rule; an empty list means the entity is valid.
 */
export function validateOutputPortEntity(
  entity: Entity,
): EntityValidationProblem[] {
  const problems = new Problems();
  const spec = checkEnvelope(entity, OUTPUT_PORT_KIND, problems);
  if (spec) {
    const context = {
      defaultNamespace: entity.metadata?.namespace ?? DEFAULT_NAMESPACE,
    };
    problems.knownFields('spec', spec, OUTPUT_PORT_SPEC_FIELDS);
    problems.ref(
      'spec.dataProduct',
      spec.dataProduct,
      ref => parseDataProductRef(ref, context),
      true,
    );
    const name = problems.requiredString('spec.name', spec.name);
    if (name !== undefined) {
      const rule = validateIdentifier(name);
      if (rule) {
        problems.add('spec.name', name, rule);
      }
    }
    problems.oneOf('spec.type', spec.type, OUTPUT_PORT_TYPES);
    problems.oneOf('spec.access', spec.access, OUTPUT_PORT_ACCESS, false);
    problems.ref(
      'spec.owner',
      spec.owner,
      ref => parseOwnerRef(ref, context),
      false,
    );

    if (spec.source !== undefined && spec.model !== undefined) {
      problems.add(
        'spec.model',
        undefined,
        'must not be set together with spec.source: a port either exposes a source table or is built from model SQL',
      );
    } else if (spec.source === undefined && spec.model === undefined) {
      problems.add(
        'spec.model',
        undefined,
        'or spec.source is required: a port either exposes a source table (source) or is built from model SQL (model)',
      );
    }
    const source = problems.optionalString('spec.source', spec.source);
    if (source !== undefined) {
      const parts = source.split('.');
      if (parts.length !== 2) {
        problems.add(
          'spec.source',
          source,
          'must name a table as <schema>.<table>',
        );
      } else {
        for (const part of parts) {
          const rule = validateIdentifier(part);
          if (rule) {
            problems.add('spec.source', source, `'${part}' ${rule}`);
          }
        }
      }
    }
    const model = problems.optionalString('spec.model', spec.model);
    if (model !== undefined) {
      try {
        parseSourceReferences(model);
      } catch (error) {
        if (!(error instanceof SourceReferenceError)) {
          throw error;
        }
        problems.add('spec.model', undefined, `is invalid: ${error.message}`);
      }
    }
    checkColumns(spec.columns, problems);
  }
  if (problems.list.length) {
    return problems.list;
  }
  return schemaProblems(outputPortSchemaValidator, entity);
}

function kindValidator(
  kind: string,
  validate: (entity: Entity) => EntityValidationProblem[],
): KindValidator {
  return {
    async check(entity: Entity) {
      if (
        entity.apiVersion !== DATA_PRODUCTS_API_VERSION ||
        entity.kind !== kind
      ) {
        return false;
      }
      const problems = validate(entity);
      if (problems.length) {
        throw new TypeError(
          `Invalid ${kind} ${JSON.stringify(entity.metadata?.name)}: ${problems
            .map(p => p.message)
            .join('; ')}`,
        );
      }
      return true;
    },
  };
}

/**
 * Validates DataProduct entities: `check` answers `false` for other kinds,
 * `true` for a valid DataProduct, and throws a `TypeError` listing every
 * broken rule otherwise.
 */
export const dataProductEntityV1alpha1Validator: KindValidator = kindValidator(
  DATA_PRODUCT_KIND,
  validateDataProductEntity,
);

/**
 * Validates OutputPort entities: `check` answers `false` for other kinds,
 * `true` for a valid OutputPort, and throws a `TypeError` listing every
 * broken rule otherwise.
 */
export const outputPortEntityV1alpha1Validator: KindValidator = kindValidator(
  OUTPUT_PORT_KIND,
  validateOutputPortEntity,
);
