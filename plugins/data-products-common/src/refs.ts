import {
  CompoundEntityRef,
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  DATA_PRODUCT_KIND,
  DataProductEntityV1alpha1,
  OUTPUT_PORT_KIND,
  OutputPortEntityV1alpha1,
} from './types';

/** The kind of the operational source tables a source-aligned product reads. */
export const SOURCE_RESOURCE_KIND = 'Resource' as const;

/** The Resource `spec.type` of an operational source table. */
export const SOURCE_RESOURCE_TYPE = 'postgres-table' as const;

/**
 * The entity name of an output port, by convention `<product>-<port>` with the
 * port's `_` written as `-`: `outputPortEntityName('marketing-customer-360',
 * 'customer_activity')` is `marketing-customer-360-customer-activity`.
 */
export function outputPortEntityName(product: string, port: string): string {
  return `${product}-${port.replace(/_/g, '-')}`;
}

function parseTypedRef(
  ref: string,
  kind: string,
  defaultNamespace: string,
  allowedKinds: string[] = [kind],
): CompoundEntityRef {
  const parsed = parseEntityRef(ref, { defaultKind: kind, defaultNamespace });
  const allowed = allowedKinds.find(
    k =>
      k.toLocaleLowerCase('en-US') === parsed.kind.toLocaleLowerCase('en-US'),
  );
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

function namespaceOf(entity: Entity): string {
  return entity.metadata.namespace ?? DEFAULT_NAMESPACE;
}

/** The DataProduct an output port belongs to, resolved in the port's namespace. */
export function getOutputPortProductRef(
  port: OutputPortEntityV1alpha1,
): CompoundEntityRef {
  return parseDataProductRef(port.spec.dataProduct, {
    defaultNamespace: namespaceOf(port),
  });
}

/** A data product's inputs, resolved in the product's namespace. */
export function getDataProductInputRefs(
  product: DataProductEntityV1alpha1,
): CompoundEntityRef[] {
  return (product.spec.inputs ?? []).map(ref =>
    parseDataProductInputRef(ref, { defaultNamespace: namespaceOf(product) }),
  );
}
