import {
  DEFAULT_NAMESPACE,
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  DATA_PRODUCT_KIND,
  DATA_PRODUCTS_API_VERSION,
  OUTPUT_PORT_KIND,
  type DataProductEntityV1alpha1,
  type OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import type { PlanRequest } from '../api/DataProductPlansApi';

/** The annotation naming the template a product was made with. */
export const TEMPLATE_ANNOTATION = 'dataproducts.io/template';

/** The templates that create (and edit) data products. */
export type DataProductTemplate =
  | 'expose-source-table'
  | 'compose-data-product';

/** The annotation of a source Resource naming its table, `schema.table`. */
const TABLE_ANNOTATION = 'dataproducts.io/table';

/** The template a product is edited with: its annotation, else the one for its type. */
export function templateOf(product: Entity): DataProductTemplate {
  const annotated = product.metadata.annotations?.[TEMPLATE_ANNOTATION];
  if (
    annotated === 'expose-source-table' ||
    annotated === 'compose-data-product'
  ) {
    return annotated;
  }
  return (product.spec as { type?: string })?.type === 'source-aligned'
    ? 'expose-source-table'
    : 'compose-data-product';
}

/** The entity name the templates derive from a title (`Sales CRM Customers` → `sales-crm-customers`). */
export function productNameOf(title: string): string {
  return title
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function fullRef(ref: string, defaultKind: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace: DEFAULT_NAMESPACE }),
  );
}

/**
 * The template form's values for a product and its (first) port, as the
 * template's fields hold them: what Edit pre-fills.
 */
export function formDataFor(
  product: DataProductEntityV1alpha1,
  port: OutputPortEntityV1alpha1,
): Record<string, unknown> {
  const spec = product.spec;
  const values: Record<string, unknown> = {
    title: product.metadata.title ?? product.metadata.name,
    ...(product.metadata.description
      ? { description: product.metadata.description }
      : {}),
    owner: fullRef(spec.owner, 'group'),
    ...(spec.domain ? { domain: fullRef(spec.domain, 'domain') } : {}),
    ...(spec.lifecycle ? { lifecycle: spec.lifecycle } : {}),
    ...(spec.deprecation
      ? {
          sunset: spec.deprecation.sunset,
          ...(spec.deprecation.replacement
            ? { replacement: spec.deprecation.replacement }
            : {}),
          ...(spec.deprecation.reason
            ? { deprecationReason: spec.deprecation.reason }
            : {}),
        }
      : {}),
    schema: spec.schema,
    portName: port.spec.name,
    portType: port.spec.type,
    portVersion: port.spec.version ?? '1.0.0',
    ...(port.metadata.description
      ? { portDescription: port.metadata.description }
      : {}),
    columns: port.spec.columns.map(
      ({ name, type, description, required, unique, primaryKey }) => ({
        name,
        type,
        ...(description ? { description } : {}),
        ...(required ? { required } : {}),
        ...(unique ? { unique } : {}),
        ...(primaryKey ? { primaryKey } : {}),
      }),
    ),
  };
  if (templateOf(product) === 'expose-source-table') {
    const [source] = spec.inputs ?? [];
    return {
      ...values,
      ...(source ? { source: fullRef(source, 'resource') } : {}),
    };
  }
  return {
    ...values,
    inputs: (spec.inputs ?? []).map(ref => fullRef(ref, 'outputport')),
    model: port.spec.model ?? '',
  };
}

/** The scaffolder's URL of a product's template, pre-filled from the product and its port. */
export function editTemplateUrl(
  product: DataProductEntityV1alpha1,
  port: OutputPortEntityV1alpha1,
): string {
  return `/create/templates/default/${templateOf(
    product,
  )}?formData=${encodeURIComponent(
    JSON.stringify(formDataFor(product, port)),
  )}`;
}

/**
 * The product and port a template would provision from the form's values,
 * as the templates write them (`source` is the source Resource's table,
 * read from its `dataproducts.io/table` annotation). Undefined until the
 * fields the plan needs are filled in.
 */
export function planRequestFrom(
  values: Record<string, any>,
  sourceTable?: string,
): PlanRequest | undefined {
  const { title, owner, domain, schema, portName, portType, columns } = values;
  if (!title || !owner || !schema || !portName || !Array.isArray(columns)) {
    return undefined;
  }
  const name = productNameOf(String(title));
  const isSource = values.source !== undefined;
  if (isSource && !sourceTable) return undefined;
  const description = values.description ?? '';
  const product: DataProductEntityV1alpha1 = {
    apiVersion: DATA_PRODUCTS_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata: { name, title, description },
    spec: {
      type: isSource ? 'source-aligned' : 'consumer-aligned',
      lifecycle: values.lifecycle ?? 'production',
      ...(values.lifecycle === 'deprecated'
        ? {
            deprecation: {
              sunset: values.sunset,
              replacement: values.replacement,
              reason: values.deprecationReason,
            },
          }
        : {}),
      owner,
      ...(domain ? { domain: parseEntityRef(domain).name } : {}),
      schema,
      inputs: isSource ? [values.source] : values.inputs ?? [],
    },
  } as DataProductEntityV1alpha1;
  const port: OutputPortEntityV1alpha1 = {
    apiVersion: DATA_PRODUCTS_API_VERSION,
    kind: OUTPUT_PORT_KIND,
    metadata: {
      name: `${name}-${String(portName).replace(/_/g, '-')}`,
      title: portName,
      description:
        values.portDescription || `The ${portName} output port of ${title}.`,
    },
    spec: {
      dataProduct: name,
      owner,
      name: portName,
      type: portType ?? 'postgres-table',
      access: 'restricted',
      ...(values.portVersion ? { version: values.portVersion } : {}),
      ...(isSource ? { source: sourceTable } : { model: values.model ?? '' }),
      columns,
    },
  } as OutputPortEntityV1alpha1;
  return { product, ports: [port] };
}

/** The table a source Resource names in its `dataproducts.io/table` annotation. */
export function sourceTableOf(resource?: Entity): string | undefined {
  return resource?.metadata.annotations?.[TABLE_ANNOTATION];
}
