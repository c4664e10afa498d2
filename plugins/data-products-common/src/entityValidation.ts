import { Entity, KindValidator } from '@backstage/catalog-model';
import {
  entityProblem,
  EntityValidationProblem,
  isObject,
} from './entityProblems';
import { KindSchema } from './kindSchema';
import { DATA_PRODUCTS_API_VERSION } from './kinds';
import { validateEntityName } from './refs';

/**
 * The problems found so far in one entity, to which the rules a JSON schema
 * cannot say add theirs. A field that already broke a schema rule is not
 * checked again.
 */
export class ProblemList {
  readonly items: EntityValidationProblem[];

  constructor(items: EntityValidationProblem[]) {
    this.items = items;
  }

  /** Adds a problem when `rule` names a broken rule. */
  add(field: string, value: unknown, rule: string | undefined): void {
    if (rule !== undefined) {
      this.items.push(entityProblem(field, value, rule));
    }
  }

  /** The field's value when it is a string that broke no rule so far. */
  string(field: string, value: unknown): string | undefined {
    return typeof value === 'string' &&
      !this.items.some(problem => problem.field === field)
      ? value
      : undefined;
  }

  /** Checks an entity ref with a parser that throws for a malformed ref or one of the wrong kind. */
  ref(field: string, value: unknown, parse: (ref: string) => unknown): void {
    const ref = this.string(field, value);
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
}

/**
 * Builds the validation of one kind: every violation of its JSON schema, the
 * catalog's entity name rule, then `rules`, the kind's rules a schema cannot
 * say.
 */
export function createEntityValidation(
  schema: object,
  rules: (entity: Entity, problems: ProblemList) => void,
): (entity: Entity) => EntityValidationProblem[] {
  const kindSchema = new KindSchema(schema);
  return entity => {
    const problems = new ProblemList(kindSchema.problems(entity));
    const name = problems.string('metadata.name', entity.metadata?.name);
    if (name !== undefined) {
      problems.add('metadata.name', name, validateEntityName(name));
    }
    if (isObject(entity.metadata) && isObject(entity.spec)) {
      rules(entity, problems);
    }
    return problems.items;
  };
}

/**
 * A catalog `KindValidator` for one of the data product kinds: `check`
 * answers `false` for other kinds, `true` for a valid entity, and throws a
 * `TypeError` listing every problem otherwise.
 */
export function createKindValidator(
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
