import type { Knex } from 'knex';

/** Writes mesh index rows as the index would hold them, for tests. */
export class MeshFixture {
  readonly #knex: Knex;
  readonly #nodes: Array<Record<string, unknown>> = [];
  readonly #edges: Array<Record<string, unknown>> = [];

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  #node(kind: string, name: string, fields: Record<string, unknown> = {}) {
    const ref = `${kind.toLocaleLowerCase('en-US')}:default/${name}`;
    this.#nodes.push({
      ref,
      kind,
      namespace: 'default',
      name,
      title: null,
      origin: 'catalog',
      updated_at: new Date(),
      ...fields,
    });
    return ref;
  }

  /** A product with one output port per name in `ports` (default one, `out`). */
  product(
    name: string,
    domain: string | undefined,
    options: { title?: string; ports?: string[] } = {},
  ): string {
    const domainRef = domain ? `domain:default/${domain}` : null;
    const ref = this.#node('DataProduct', name, {
      title: options.title ?? null,
      type: 'source-aligned',
      owner: 'group:default/team',
      domain: domainRef,
      lifecycle: 'production',
    });
    for (const port of options.ports ?? ['out']) {
      const portRef = this.#node('OutputPort', `${name}-${port}`, {
        domain: domainRef,
        product: ref,
        type: 'table',
      });
      this.#edge(ref, portRef, 'exposes', ref);
    }
    return ref;
  }

  /** A source Resource. */
  source(name: string): string {
    return this.#node('Resource', name, { type: 'postgres-table' });
  }

  /** Product `to` reads port `port` of product `from`. */
  feeds(from: string, to: string, port = 'out') {
    this.#edge(
      `outputport:default/${from}-${port}`,
      `dataproduct:default/${to}`,
      'feeds',
      `dataproduct:default/${to}`,
    );
  }

  /** Product `to` reads source table `source`. */
  reads(source: string, to: string) {
    this.#edge(
      `resource:default/${source}`,
      `dataproduct:default/${to}`,
      'feeds',
      `dataproduct:default/${to}`,
    );
  }

  #edge(source: string, target: string, type: string, declaredBy: string) {
    this.#edges.push({ source, target, type, declared_by: declaredBy });
  }

  /** Replaces the index's rows with the ones written. */
  async save(): Promise<void> {
    await this.#knex('data_product_mesh_edges').delete();
    await this.#knex('data_product_mesh_nodes').delete();
    await this.#knex.batchInsert('data_product_mesh_nodes', this.#nodes, 500);
    await this.#knex.batchInsert('data_product_mesh_edges', this.#edges, 500);
  }
}
