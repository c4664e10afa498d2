import type { Knex } from 'knex';

/** A data product as the explorer's tests write it into the mesh index. */
export interface TestProduct {
  name: string;
  title?: string;
  description?: string;
  type?: string;
  owner?: string;
  domain?: string;
  lifecycle?: string;
  tags?: string[];
  ports?: Array<{ name: string; type?: string; columns?: string[] }>;
  /** Names of the products that read this product's first port. */
  readBy?: string[];
}

const productRef = (name: string) => `dataproduct:default/${name}`;
const portRef = (product: string, port: string) =>
  `outputport:default/${product}-${port}`;

/**
 * Writes products, their ports and the edges between them into the mesh
 * index tables, with the search text built as the index builds it: the
 * lowercased names, titles, description, tags, owner, domain, and the
 * ports' and columns' names.
 */
export async function insertMeshProducts(
  knex: Knex,
  products: TestProduct[],
): Promise<void> {
  const now = new Date();
  const nodes = products.flatMap(p => {
    const ports = (p.ports ?? []).map(port => ({
      ref: portRef(p.name, port.name),
      name: port.name,
      type: port.type ?? 'postgres-table',
      columns: port.columns ?? [],
    }));
    const search = [
      p.name,
      p.title,
      p.description,
      ...(p.tags ?? []),
      p.owner,
      p.domain,
      ...ports.flatMap(port => [port.name, ...port.columns]),
    ]
      .filter(Boolean)
      .join(' ')
      .toLocaleLowerCase('en-US');
    return [
      {
        ref: productRef(p.name),
        kind: 'DataProduct',
        namespace: 'default',
        name: p.name,
        title: p.title ?? null,
        description: p.description ?? null,
        type: p.type ?? 'source-aligned',
        owner: p.owner ?? null,
        domain: p.domain ?? null,
        product: null,
        lifecycle: p.lifecycle ?? 'production',
        summary: JSON.stringify({ tags: p.tags ?? [], ports }),
        search,
        origin: 'catalog',
        updated_at: now,
      },
      ...ports.map(port => ({
        ref: port.ref,
        kind: 'OutputPort',
        namespace: 'default',
        name: `${p.name}-${port.name}`,
        title: port.name,
        description: null,
        type: port.type,
        owner: p.owner ?? null,
        domain: p.domain ?? null,
        product: productRef(p.name),
        lifecycle: p.lifecycle ?? 'production',
        summary: '{}',
        search: port.name,
        origin: 'catalog',
        updated_at: now,
      })),
    ];
  });
  const edges = products.flatMap(p => [
    ...(p.ports ?? []).map(port => ({
      source: productRef(p.name),
      target: portRef(p.name, port.name),
      type: 'exposes',
      declared_by: productRef(p.name),
    })),
    ...(p.readBy ?? []).map(reader => ({
      source: portRef(p.name, p.ports![0].name),
      target: productRef(reader),
      type: 'feeds',
      declared_by: productRef(reader),
    })),
  ]);
  for (let i = 0; i < nodes.length; i += 1000) {
    await knex('data_product_mesh_nodes').insert(nodes.slice(i, i + 1000));
  }
  for (let i = 0; i < edges.length; i += 1000) {
    await knex('data_product_mesh_edges').insert(edges.slice(i, i + 1000));
  }
}
