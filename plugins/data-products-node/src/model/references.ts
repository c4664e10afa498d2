import {
  productNamesMatch,
  SourceReference,
} from '@dataproducts/plugin-data-products-common';
import { ModelRefusalContext, modelError } from './location';
import { TemplatePlaceholder } from './templates';
import { asNode, isRecord } from './tree';

/** A declared input of the product whose model is checked: an output port of another product. */
export interface ModelInput {
  /** The entity ref as declared in `spec.inputs`, e.g. `outputport:default/sales-crm-customers-customers`. */
  ref: string;
  /** The entity name of the data product the port belongs to. */
  product: string;
  /** The port name (`spec.name` of the OutputPort). */
  port: string;
}

/** Where an input lives in PostgreSQL: the relation the model reads for it. */
export interface PhysicalRelation {
  /** The schema, e.g. `sales_crm`. */
  schema: string;
  /** The table or view, e.g. `customers`. */
  name: string;
}

/** A `source()` reference of a model, matched to a declared input and resolved. */
export interface ModelSourceReference<TInput extends ModelInput = ModelInput> {
  /** The reference as written, offsets in the model text. */
  reference: SourceReference;
  /** The declared input it names. */
  input: TInput;
  /** The relation it reads. */
  relation: PhysicalRelation;
}

/** What binding references returns: them, and the tree nodes that now read them. */
export interface BoundReferences<TInput extends ModelInput> {
  references: ModelSourceReference<TInput>[];
  /** The `RangeVar` nodes (their fields objects) set to a resolved input. */
  sourceRelations: ReadonlySet<object>;
}

function collectRangeVars(
  value: unknown,
  found: Map<number, Record<string, unknown>>,
): void {
  if (Array.isArray(value)) {
    value.forEach(item => collectRangeVars(item, found));
    return;
  }
  const node = asNode(value);
  if (node?.type === 'RangeVar' && typeof node.fields.location === 'number') {
    found.set(node.fields.location, node.fields);
  }
  if (isRecord(value)) {
    Object.values(node ? node.fields : value).forEach(child =>
      collectRangeVars(child, found),
    );
  }
}

function describeInputs(inputs: readonly ModelInput[]): string {
  if (inputs.length === 0) {
    return 'the product declares no inputs';
  }
  return `declared inputs: ${inputs
    .map(i => `source('${i.product}', '${i.port}') (${i.ref})`)
    .join(', ')}`;
}

/**
 * Binds each `source()` placeholder of a parsed model (positions already in
 * model offsets) to a declared input and sets the input's physical relation
 * on the tree. A reference must stand where a table does in FROM or JOIN;
 * anywhere else (a column, a function name, after a schema) it is refused.
 */
export function bindSourceReferences<TInput extends ModelInput>(
  context: ModelRefusalContext,
  tree: unknown,
  placeholders: readonly TemplatePlaceholder[],
  inputs: readonly TInput[],
  resolve: (input: TInput) => PhysicalRelation,
  self?: PhysicalRelation,
): BoundReferences<TInput> {
  const rangeVars = new Map<number, Record<string, unknown>>();
  collectRangeVars(tree, rangeVars);

  const sourceRelations = new Set<object>();
  const references: ModelSourceReference<TInput>[] = [];
  placeholders.forEach(
    ({ reference, identifier, identifierOffset, self: isSelf }) => {
      const written = reference.text.trim();
      const rangeVar = rangeVars.get(identifierOffset);
      if (
        !rangeVar ||
        rangeVar.relname !== identifier ||
        rangeVar.schemaname ||
        rangeVar.catalogname
      ) {
        throw modelError(
          context,
          reference.start,
          `uses ${written} as something other than a table: a source() reference can only be read as a table in FROM or JOIN`,
          `Write it after FROM or JOIN with an alias (FROM ${written} AS c) and use its columns through the alias (c.id)`,
        );
      }
      if (isSelf && self) {
        rangeVar.schemaname = self.schema;
        rangeVar.relname = self.name;
        rangeVar.location = reference.start;
        sourceRelations.add(rangeVar);
        return;
      }
      const input = inputs.find(
        candidate =>
          productNamesMatch(candidate.product, reference.product) &&
          candidate.port === reference.port,
      );
      if (!input) {
        throw modelError(
          context,
          reference.start,
          `reads ${written}, but port '${reference.port}' of data product '${reference.product}' ` +
            `is not among the product's declared inputs (${describeInputs(
              inputs,
            )})`,
          'Add it to spec.inputs or fix the reference',
        );
      }
      const relation = resolve(input);
      rangeVar.schemaname = relation.schema;
      rangeVar.relname = relation.name;
      rangeVar.location = reference.start;
      sourceRelations.add(rangeVar);
      references.push({ reference, input, relation });
    },
  );
  return { references, sourceRelations };
}
