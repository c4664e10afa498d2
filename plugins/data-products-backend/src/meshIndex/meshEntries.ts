import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  DATA_PRODUCT_KIND,
  getEntityNamespace,
  getOutputPortProductRef,
  MeshNodeSummary,
  OUTPUT_PORT_KIND,
  parseDataProductInputRef,
  parseDomainRef,
  parseOwnerRef,
  type DataProductEntityV1alpha1,
  type LineageEdge,
  type OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';

/** Where a node of the mesh index came from. */
export type MeshNodeOrigin = 'registry' | 'catalog';

/** One row of `data_product_mesh_nodes`, as the index writes it (see the migration for each column). */
export interface MeshNodeRow {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  description: string | null;
  type: string | null;
  owner: string | null;
  domain: string | null;
  product: string | null;
  lifecycle: string | null;
  summary: MeshNodeSummary;
  search: string;
  origin: MeshNodeOrigin;
}

/** One edge of `data_product_mesh_edges`, in the direction data flows. */
export interface MeshEdgeRow {
  source: string;
  target: string;
  type: LineageEdge['type'];
}

/** A node with the edges it declares: what the index replaces in one step. */
export interface MeshDeclaration {
  node: MeshNodeRow;
  edges: MeshEdgeRow[];
}

/** The index's spelling of an entity ref: full and lowercased. */
export function meshRef(ref: CompoundEntityRef | string): string {
  const parsed = typeof ref === 'string' ? parseEntityRef(ref) : ref;
  return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
}

function refOf(entity: Entity): string {
  return meshRef({
    kind: entity.kind,
    namespace: getEntityNamespace(entity),
    name: entity.metadata.name,
  });
}

function parsedOrUndefined(parse: () => CompoundEntityRef): string | undefined {
  try {
    return meshRef(parse());
  } catch {
    // An invalid ref: the catalog's validation reports it; the index leaves it out.
    return undefined;
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function tagsOf(entity: Entity): string[] {
  return (entity.metadata.tags ?? []).filter(
    (tag): tag is string => typeof tag === 'string',
  );
}

/** The lowercased, de-duplicated words the explorer searches. */
function searchText(values: Array<string | null | undefined>): string {
  const parts = new Set<string>();
  for (const value of values) {
    if (value) parts.add(value.toLocaleLowerCase('en-US'));
  }
  return [...parts].join('\n');
}

function columnsOf(port: OutputPortEntityV1alpha1) {
  return Array.isArray(port.spec?.columns) ? port.spec.columns : [];
}

function portSearchWords(
  port: OutputPortEntityV1alpha1,
): Array<string | undefined> {
  return [
    port.metadata.name,
    port.spec?.name,
    port.metadata.title,
    ...columnsOf(port).flatMap(column => [column.name, column.description]),
  ];
}

/**
 * What the index holds of a data product and its output ports: the product's
 * node with its `exposes` edges to each port and its `feeds` edges from each
 * input, and one node per port. Ports inherit the product's domain and
 * lifecycle, and its owner when they name none.
 */
export function productDeclarations(options: {
  product: DataProductEntityV1alpha1;
  ports: OutputPortEntityV1alpha1[];
  origin: MeshNodeOrigin;
  registryStatus?: string;
}): MeshDeclaration[] {
  const { product, ports, origin, registryStatus } = options;
  const ref = refOf(product);
  const context = { defaultNamespace: getEntityNamespace(product) };
  const spec = product.spec ?? ({} as DataProductEntityV1alpha1['spec']);
  const owner =
    typeof spec.owner === 'string'
      ? parsedOrUndefined(() => parseOwnerRef(spec.owner, context))
      : undefined;
  const domain =
    typeof spec.domain === 'string'
      ? parsedOrUndefined(() => parseDomainRef(spec.domain!, context))
      : undefined;
  const lifecycle = text(spec.lifecycle);
  // An invalid input is left out: the catalog reports it on the entity.
  const inputs = (Array.isArray(spec.inputs) ? spec.inputs : []).flatMap(
    input => {
      const parsed =
        typeof input === 'string'
          ? parsedOrUndefined(() => parseDataProductInputRef(input, context))
          : undefined;
      return parsed ? [parsed] : [];
    },
  );
  const tags = tagsOf(product);
  const summary: MeshNodeSummary = {
    ...(tags.length > 0 ? { tags } : {}),
    ports: ports.map(port => ({
      ref: refOf(port),
      name: port.spec?.name ?? port.metadata.name,
      ...(port.metadata.title ? { title: port.metadata.title } : {}),
      ...(port.spec?.type ? { type: port.spec.type } : {}),
      columns: columnsOf(port).map(column => column.name),
    })),
    ...(registryStatus ? { registryStatus } : {}),
  };
  const productNode: MeshNodeRow = {
    ref,
    kind: DATA_PRODUCT_KIND,
    namespace: getEntityNamespace(product),
    name: product.metadata.name,
    title: text(product.metadata.title),
    description: text(product.metadata.description),
    type: text(spec.type),
    owner: owner ?? null,
    domain: domain ?? null,
    product: null,
    lifecycle,
    summary,
    search: searchText([
      product.metadata.name,
      product.metadata.title,
      product.metadata.description,
      ...tags,
      owner,
      domain,
      ...ports.flatMap(port => portSearchWords(port)),
    ]),
    origin,
  };
  const edges: MeshEdgeRow[] = [
    ...ports.map(port => ({
      source: ref,
      target: refOf(port),
      type: 'exposes' as const,
    })),
    ...[...new Set(inputs)].map(input => ({
      source: input,
      target: ref,
      type: 'feeds' as const,
    })),
  ];
  return [
    { node: productNode, edges },
    ...ports.map(port =>
      portDeclaration(port, origin, { ref, owner, domain, lifecycle }),
    ),
  ];
}

/**
 * A port's node. `product` is what is known of its product (absent when the
 * product is not indexed): its ref, owner, domain and lifecycle.
 */
export function portDeclaration(
  port: OutputPortEntityV1alpha1,
  origin: MeshNodeOrigin,
  product?: {
    ref: string;
    owner?: string;
    domain?: string;
    lifecycle: string | null;
  },
): MeshDeclaration {
  const context = { defaultNamespace: getEntityNamespace(port) };
  const ownOwner =
    typeof port.spec?.owner === 'string'
      ? parsedOrUndefined(() => parseOwnerRef(port.spec.owner!, context))
      : undefined;
  const productRef =
    product?.ref ??
    (typeof port.spec?.dataProduct === 'string'
      ? parsedOrUndefined(() => getOutputPortProductRef(port))
      : undefined);
  const owner = ownOwner ?? product?.owner;
  const tags = tagsOf(port);
  return {
    node: {
      ref: refOf(port),
      kind: OUTPUT_PORT_KIND,
      namespace: getEntityNamespace(port),
      name: port.metadata.name,
      title: text(port.metadata.title),
      description: text(port.metadata.description),
      type: text(port.spec?.type),
      owner: owner ?? null,
      domain: product?.domain ?? null,
      product: productRef ?? null,
      lifecycle: product?.lifecycle ?? null,
      summary: tags.length > 0 ? { tags } : {},
      search: searchText([
        port.metadata.description,
        ...tags,
        owner,
        product?.domain,
        ...portSearchWords(port),
      ]),
      origin,
    },
    edges: [],
  };
}

/**
 * Any other entity of the mesh: a source Resource a product reads, or an
 * entity of another kind that reads a port or a source (`dependsOn` it). Its
 * edges are `feeds` from each of the given inputs.
 */
export function entityDeclaration(
  entity: Entity,
  inputs: string[] = [],
): MeshDeclaration {
  const ref = refOf(entity);
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const context = { defaultNamespace: getEntityNamespace(entity) };
  const owner =
    typeof spec.owner === 'string'
      ? parsedOrUndefined(() => parseOwnerRef(spec.owner as string, context))
      : undefined;
  const tags = tagsOf(entity);
  return {
    node: {
      ref,
      kind: entity.kind,
      namespace: getEntityNamespace(entity),
      name: entity.metadata.name,
      title: text(entity.metadata.title),
      description: text(entity.metadata.description),
      type: text(spec.type),
      owner: owner ?? null,
      domain: null,
      product: null,
      lifecycle: text(spec.lifecycle),
      summary: tags.length > 0 ? { tags } : {},
      search: searchText([
        entity.metadata.name,
        entity.metadata.title,
        entity.metadata.description,
        ...tags,
        owner,
      ]),
      origin: 'catalog',
    },
    edges: [...new Set(inputs)].map(input => ({
      source: input,
      target: ref,
      type: 'feeds' as const,
    })),
  };
}
