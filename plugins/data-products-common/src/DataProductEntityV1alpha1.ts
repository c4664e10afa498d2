import {
  Entity,
  KindValidator,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { EntityValidationProblem } from './entityProblems';
import {
  createEntityValidation,
  createKindValidator,
} from './entityValidation';
import { reservedWordRule, schemaNameRule } from './identifiers';
import { DATA_PRODUCT_KIND, DATA_PRODUCTS_API_VERSION } from './kinds';
import {
  getEntityNamespace,
  parseDataProductInputRef,
  parseDomainRef,
  parseOwnerRef,
  parseReplacementRef,
} from './refs';
import { isObject } from './entityProblems';
import schema from './schema/DataProduct.v1alpha1.schema.json';

/** How a data product relates to its sources and consumers. */
export type DataProductType =
  | 'source-aligned'
  | 'aggregate'
  | 'consumer-aligned';

/** The lifecycle values the templates offer. */
export const DATA_PRODUCT_LIFECYCLES = [
  'experimental',
  'production',
  'deprecated',
] as const;

/** Why and until when a deprecated product stays (`spec.deprecation`). */
export type DataProductDeprecation = {
  /** YYYY-MM-DD: after it the product may be decommissioned once no consumer remains. */
  sunset: string;
  /** Ref to the DataProduct (default kind) or OutputPort consumers should move to. */
  replacement?: string;
  reason?: string;
};

/** A DataProduct entity. */
export interface DataProductEntityV1alpha1 extends Entity {
  apiVersion: typeof DATA_PRODUCTS_API_VERSION;
  kind: typeof DATA_PRODUCT_KIND;
  spec: {
    type: DataProductType;
    /** experimental, production or deprecated (other values are kept as given). */
    lifecycle: string;
    /** Set when `lifecycle` is `deprecated`. */
    deprecation?: DataProductDeprecation;
    owner: string;
    domain?: string;
    /** The product's dedicated PostgreSQL schema. */
    schema: string;
    /** Refs to the OutputPorts (the default kind) or source Resources the product reads. */
    inputs?: string[];
  };
}

/** The JSON schema (draft-07) of the DataProduct kind: every structural rule of the kind. */
export const dataProductEntityV1alpha1Schema = schema;

/**
 * Validates a DataProduct entity: every violation of its JSON schema, then
 * the rules a schema cannot say (a schema name that is no reserved word and
 * no shared or system schema, owner, domain and input refs of the right
 * kinds, no input listed twice). Returns every broken rule, each naming the
 * field, the value and the rule; an empty list means the entity is valid.
 */
export const validateDataProductEntity: (
  entity: Entity,
) => EntityValidationProblem[] = createEntityValidation(
  schema,
  (entity, problems) => {
    const spec = entity.spec as Record<string, unknown>;
    const context = { defaultNamespace: getEntityNamespace(entity) };
    problems.ref('spec.owner', spec.owner, ref => parseOwnerRef(ref, context));
    problems.ref('spec.domain', spec.domain, ref =>
      parseDomainRef(ref, context),
    );
    const deprecation = isObject(spec.deprecation)
      ? spec.deprecation
      : undefined;
    problems.ref(
      'spec.deprecation.replacement',
      deprecation?.replacement,
      ref => parseReplacementRef(ref, context),
    );
    if (spec.lifecycle === 'deprecated' && deprecation === undefined) {
      problems.add(
        'spec.deprecation',
        undefined,
        'is required when lifecycle is deprecated: give a sunset date (YYYY-MM-DD) and, ideally, a replacement',
      );
    }
    if (deprecation !== undefined && spec.lifecycle !== 'deprecated') {
      problems.add(
        'spec.deprecation',
        undefined,
        `is only allowed when lifecycle is deprecated (it is ${JSON.stringify(
          spec.lifecycle,
        )})`,
      );
    }
    const schemaName = problems.string('spec.schema', spec.schema);
    if (schemaName !== undefined) {
      problems.add(
        'spec.schema',
        schemaName,
        reservedWordRule(schemaName) ?? schemaNameRule(schemaName),
      );
    }
    const inputs = Array.isArray(spec.inputs) ? spec.inputs : [];
    const seen = new Map<string, number>();
    inputs.forEach((input, index) => {
      const field = `spec.inputs[${index}]`;
      const ref = problems.string(field, input);
      if (ref === undefined) {
        return;
      }
      let key: string;
      try {
        key = stringifyEntityRef(
          parseDataProductInputRef(ref, context),
        ).toLocaleLowerCase('en-US');
      } catch (error) {
        problems.add(
          field,
          ref,
          `is not a valid input: ${(error as Error).message}`,
        );
        return;
      }
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, index);
      } else {
        problems.add(
          field,
          ref,
          `is listed twice (also spec.inputs[${first}]): each input must appear once`,
        );
      }
    });
  },
);

/**
 * Validates DataProduct entities for the catalog: `check` answers `false` for
 * other kinds, `true` for a valid DataProduct, and throws a `TypeError`
 * listing every broken rule otherwise.
 */
export const dataProductEntityV1alpha1Validator: KindValidator =
  createKindValidator(DATA_PRODUCT_KIND, validateDataProductEntity);

/** True when the entity is a DataProduct. */
export function isDataProductEntity(
  entity: Entity | undefined,
): entity is DataProductEntityV1alpha1 {
  return (
    entity?.kind?.toLocaleLowerCase('en-US') ===
    DATA_PRODUCT_KIND.toLocaleLowerCase('en-US')
  );
}
