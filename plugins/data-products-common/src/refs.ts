import {
  CompoundEntityRef,
  DEFAULT_NAMESPACE,
  Entity,
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { DataProductEntityV1alpha1 } from './DataProductEntityV1alpha1';
import { DATA_PRODUCT_KIND, OUTPUT_PORT_KIND } from './kinds';
import type { OutputPortEntityV1alpha1 } from './OutputPortEntityV1alpha1';

/** The kind of the operational source tables a source-aligned product reads. */
export const SOURCE_RESOURCE_KIND = 'Resource' as const;

/** The Resource `spec.type` of an operational source table. */
export const SOURCE_RESOURCE_TYPE = 'postgres-table' as const;

/**
 * Checks an entity name (`metadata.name`) against the catalog's own rule:
 * 1 to 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter
 * or digit. Returns the rule, phrased to follow the value, when the name
 * breaks it, or `undefined`.
 */
export function validateEntityName(value: unknown): string | undefined {
  return KubernetesValidatorFunctions.isValidObjectName(value)
    ? undefined
    : 'must be a catalog entity name: 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
}

/** True when a value is a valid entity name (see {@link validateEntityName}). */
export function isValidEntityName(value: unknown): value is string {
  return validateEntityName(value) === undefined;
}

/**
 * The entity name of an output port, by convention `<product>-<port>` with the
 * port's `_` written as `-`: `outputPortEntityName('marketing-customer-360',
 * 'customer_activity')` is `marketing-customer-360-customer-activity`.
 */
export function outputPortEntityName(product: string, port: string): string {
  return `${product}-${port.replace(/_/g, '-')}`;
}

/** The namespace an entity lives in (`default` when it names none). */
export function getEntityNamespace(entity: Entity): string {
  return entity.metadata.namespace ?? DEFAULT_NAMESPACE;
}

/** The full ref of a DataProduct by name: `dataproduct:default/<name>`. */
export function dataProductEntityRef(
  name: string,
  namespace: string = DEFAULT_NAMESPACE,
): string {
  return stringifyEntityRef({ kind: DATA_PRODUCT_KIND, namespace, name });
}

/** The full ref of an OutputPort by entity name: `outputport:default/<name>`. */
export function outputPortEntityRef(
  name: string,
  namespace: string = DEFAULT_NAMESPACE,
): string {
  return stringifyEntityRef({ kind: OUTPUT_PORT_KIND, namespace, name });
}

function sameKind(a: string, b: string): boolean {
  return a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
}

/**
 * Whether a ref points to an entity of the given kind. The ref is full
 * (`kind:namespace/name`, as relations and the catalog hold refs) or already
 * parsed.
 */
export function isEntityRefOfKind(
  ref: string | CompoundEntityRef,
  kind: string,
): boolean {
  const parsed = typeof ref === 'string' ? parseEntityRef(ref) : ref;
  return sameKind(parsed.kind, kind);
}

/** Whether two refs point to the same entity (refs compare without case, as the catalog does). */
export function isSameEntityRef(
  a: CompoundEntityRef,
  b: CompoundEntityRef,
): boolean {
  return sameKind(stringifyEntityRef(a), stringifyEntityRef(b));
}

function parseTypedRef(
  ref: string,
  kind: string,
  defaultNamespace: string,
  allowedKinds: string[] = [kind],
): CompoundEntityRef {
  const parsed = parseEntityRef(ref, { defaultKind: kind, defaultNamespace });
  const allowed = allowedKinds.find(k => sameKind(k, parsed.kind));
  if (!allowed) {
    throw new TypeError(
      `Entity reference ${JSON.stringify(
        ref,
      )} must point to ${allowedKinds.join(' or ')}, not ${parsed.kind}`,
    );
  }
  return { ...parsed, kind: allowed };
}

/**
 * Parses a reference to a DataProduct (`sales-crm-customers`,
 * `dataproduct:sales/orders`), with `DataProduct` as the default kind. Throws a
 * `TypeError` for a malformed ref or one to another kind.
 */
export function parseDataProductRef(
  ref: string,
  context?: { defaultNamespace?: string },
): CompoundEntityRef {
  return parseTypedRef(
    ref,
    DATA_PRODUCT_KIND,
    context?.defaultNamespace ?? DEFAULT_NAMESPACE,
  );
}

/**
 * Parses a reference to an OutputPort, with `OutputPort` as the default kind.
 * Throws a `TypeError` for a malformed ref or one to another kind.
 */
export function parseOutputPortRef(
  ref: string,
  context?: { defaultNamespace?: string },
): CompoundEntityRef {
  return parseTypedRef(
    ref,
    OUTPUT_PORT_KIND,
    context?.defaultNamespace ?? DEFAULT_NAMESPACE,
  );
}

/**
 * Parses one of a DataProduct's `spec.inputs`: an OutputPort (the default
 * kind) or a source `Resource`. Throws a `TypeError` for a malformed ref or
 * one to another kind.
 */
export function parseDataProductInputRef(
  ref: string,
  context?: { defaultNamespace?: string },
): CompoundEntityRef {
  return parseTypedRef(
    ref,
    OUTPUT_PORT_KIND,
    context?.defaultNamespace ?? DEFAULT_NAMESPACE,
    [OUTPUT_PORT_KIND, SOURCE_RESOURCE_KIND],
  );
}

/**
 * Parses a deprecated product's `spec.deprecation.replacement`: a DataProduct
 * (the default kind) or an OutputPort.
 */
export function parseReplacementRef(
  ref: string,
  context?: { defaultNamespace?: string },
): CompoundEntityRef {
  return parseTypedRef(
    ref,
    DATA_PRODUCT_KIND,
    context?.defaultNamespace ?? DEFAULT_NAMESPACE,
    [DATA_PRODUCT_KIND, OUTPUT_PORT_KIND],
  );
}

/**
 * Parses an owner reference (`spec.owner`) with `Group` as the default kind;
 * owners are Groups or Users.
 */
export function parseOwnerRef(
  ref: string,
  context?: { defaultNamespace?: string },
): CompoundEntityRef {
  return parseTypedRef(
    ref,
    'Group',
    context?.defaultNamespace ?? DEFAULT_NAMESPACE,
    ['Group', 'User'],
  );
}

/** Parses a domain reference (`spec.domain`) with `Domain` as the only kind. */
export function parseDomainRef(
  ref: string,
  context?: { defaultNamespace?: string },
): CompoundEntityRef {
  return parseTypedRef(
    ref,
    'Domain',
    context?.defaultNamespace ?? DEFAULT_NAMESPACE,
  );
}

/** The DataProduct an output port belongs to, resolved in the port's namespace. */
export function getOutputPortProductRef(
  port: OutputPortEntityV1alpha1,
): CompoundEntityRef {
  return parseDataProductRef(port.spec.dataProduct, {
    defaultNamespace: getEntityNamespace(port),
  });
}

/**
 * A data product's inputs, resolved in the product's namespace: OutputPorts
 * (also those written without a kind) and source Resources.
 */
export function getDataProductInputRefs(
  product: DataProductEntityV1alpha1,
): CompoundEntityRef[] {
  return (product.spec.inputs ?? []).map(ref =>
    parseDataProductInputRef(ref, {
      defaultNamespace: getEntityNamespace(product),
    }),
  );
}

/**
 * The inputs of a data product that are OutputPorts of other products, each
 * with the ref as written in `spec.inputs`; source Resources are left out.
 */
export function getDataProductInputPortRefs(
  product: DataProductEntityV1alpha1,
): Array<{ written: string; ref: CompoundEntityRef }> {
  const refs = getDataProductInputRefs(product);
  return (product.spec.inputs ?? [])
    .map((written, index) => ({ written, ref: refs[index] }))
    .filter(({ ref }) => isEntityRefOfKind(ref, OUTPUT_PORT_KIND));
}

/**
 * The ways an OutputPort's `spec.dataProduct` can spell a reference to this
 * product (`name`, `dataproduct:name`, `namespace/name`,
 * `dataproduct:namespace/name`), for a catalog filter on that field. A bare
 * name resolves in the port's own namespace: check the ports found with
 * {@link getOutputPortProductRef}.
 */
export function dataProductRefSpellings(ref: CompoundEntityRef): string[] {
  const kind = DATA_PRODUCT_KIND.toLocaleLowerCase('en-US');
  return [
    ref.name,
    `${kind}:${ref.name}`,
    `${ref.namespace}/${ref.name}`,
    `${kind}:${ref.namespace}/${ref.name}`,
  ];
}
