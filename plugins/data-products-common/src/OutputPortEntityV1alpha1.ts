import type { Entity, KindValidator } from '@backstage/catalog-model';
import { validateColumnType } from './columnTypes';
import { EntityValidationProblem, isObject } from './entityProblems';
import {
  createEntityValidation,
  createKindValidator,
  ProblemList,
} from './entityValidation';
import { reservedWordRule } from './identifiers';
import { DATA_PRODUCTS_API_VERSION, OUTPUT_PORT_KIND } from './kinds';
import { getEntityNamespace, parseDataProductRef, parseOwnerRef } from './refs';
import schema from './schema/OutputPort.v1alpha1.schema.json';
import {
  parseSourceReferences,
  SourceReferenceError,
} from './sourceReferences';

/** How an output port is materialized in PostgreSQL. */
export type OutputPortType = 'postgres-table' | 'postgres-view';

/**
 * How consumers get read access to an output port, as written in
 * `spec.access`: `unrestricted` is a deprecated spelling of `public` (read it
 * through `outputPortAccessLevel`).
 */
export type OutputPortAccess =
  | 'public'
  | 'restricted'
  | 'private'
  | 'unrestricted';

/**
 * How a table port's rows are replaced on each build (`spec.refreshStrategy`):
 * `swap` builds beside and swaps in (the default); `delete-insert` replaces
 * the rows in one transaction, safe for REPEATABLE READ and SERIALIZABLE
 * readers.
 */
export type OutputPortRefreshStrategy = 'swap' | 'delete-insert';

/** One column of an output port's contract. */
export type OutputPortColumn = {
  name: string;
  /** A SQL type from the documented set, e.g. `INTEGER`, `VARCHAR(100)`, `DECIMAL(10,2)`. */
  type: string;
  description?: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
};

/** An OutputPort entity. */
export interface OutputPortEntityV1alpha1 extends Entity {
  apiVersion: typeof DATA_PRODUCTS_API_VERSION;
  kind: typeof OUTPUT_PORT_KIND;
  spec: {
    /** Ref to the DataProduct this port belongs to. */
    dataProduct: string;
    /** The port name: the table or view name in the product's schema, and the name `source()` uses. */
    name: string;
    type: OutputPortType;
    access?: OutputPortAccess;
    refreshStrategy?: OutputPortRefreshStrategy;
    owner?: string;
    /** The operational table (`schema.table`) a 1:1 source-aligned port exposes. */
    source?: string;
    /** Model SQL with `{{ source('<product>', '<port>') }}` references. */
    model?: string;
    columns: OutputPortColumn[];
  };
}

/** The JSON schema (draft-07) of the OutputPort kind: every structural rule of the kind. */
export const outputPortEntityV1alpha1Schema = schema;

function checkColumns(columns: unknown, problems: ProblemList) {
  if (!Array.isArray(columns)) {
    return;
  }
  const seen = new Map<string, number>();
  columns.forEach((column, index) => {
    const field = `spec.columns[${index}]`;
    if (!isObject(column)) {
      return;
    }
    const name = problems.string(`${field}.name`, column.name);
    if (name !== undefined) {
      problems.add(`${field}.name`, name, reservedWordRule(name));
      const first = seen.get(name);
      if (first === undefined) {
        seen.set(name, index);
      } else {
        problems.add(
          `${field}.name`,
          name,
          `is a duplicate column name (also spec.columns[${first}].name): column names must be unique`,
        );
      }
    }
    const type = problems.string(`${field}.type`, column.type);
    if (type !== undefined) {
      problems.add(`${field}.type`, type, validateColumnType(type));
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
 * Validates an OutputPort entity: every violation of its JSON schema, then
 * the rules a schema cannot say (port, column and source table names that
 * are no reserved words, column types from the documented set with valid
 * parameters, no duplicate column names, well-formed `source()` references,
 * product and owner refs of the right kinds). Returns every broken rule, each
 * naming the field, the value and the rule; an empty list means the entity is
 * valid.
 */
export const validateOutputPortEntity: (
  entity: Entity,
) => EntityValidationProblem[] = createEntityValidation(
  schema,
  (entity, problems) => {
    const spec = entity.spec as Record<string, unknown>;
    const context = { defaultNamespace: getEntityNamespace(entity) };
    problems.ref('spec.dataProduct', spec.dataProduct, ref =>
      parseDataProductRef(ref, context),
    );
    problems.ref('spec.owner', spec.owner, ref => parseOwnerRef(ref, context));
    const name = problems.string('spec.name', spec.name);
    if (name !== undefined) {
      problems.add('spec.name', name, reservedWordRule(name));
    }
    const source = problems.string('spec.source', spec.source);
    for (const part of source?.split('.') ?? []) {
      const rule = reservedWordRule(part);
      problems.add('spec.source', source, rule && `'${part}' ${rule}`);
    }
    const model = problems.string('spec.model', spec.model);
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
  },
);

/**
 * Validates OutputPort entities for the catalog: `check` answers `false` for
 * other kinds, `true` for a valid OutputPort, and throws a `TypeError`
 * listing every broken rule otherwise.
 */
export const outputPortEntityV1alpha1Validator: KindValidator =
  createKindValidator(OUTPUT_PORT_KIND, validateOutputPortEntity);

/** True when the entity is an OutputPort. */
export function isOutputPortEntity(
  entity: Entity | undefined,
): entity is OutputPortEntityV1alpha1 {
  return (
    entity?.kind?.toLocaleLowerCase('en-US') ===
    OUTPUT_PORT_KIND.toLocaleLowerCase('en-US')
  );
}
