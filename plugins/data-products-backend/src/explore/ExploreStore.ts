import {
  DATA_PRODUCT_KIND,
  EXPLORE_FILTER_KEYS,
  EXPLORE_MAX_FACET_VALUES,
  OUTPUT_PORT_KIND,
  type ExploreFacetValue,
  type ExploreFilterKey,
  type ExploreProduct,
  type ExploreResponse,
  type ExploreSortKey,
  type MeshNodeSummary,
} from '@dataproducts/plugin-data-products-common';
import type { Knex } from 'knex';
import {
  encodeExploreCursor,
  type ExploreAfter,
  type ExploreQuery,
} from './parseExploreQuery';

const NODES = 'data_product_mesh_nodes';
const EDGES = 'data_product_mesh_edges';

/**
 * The value each sort key orders by. Text keys never hold NULL (a missing
 * value sorts as the empty string), so that a row comparison with the
 * cursor's value orders exactly as ORDER BY does.
 */
const SORT_VALUE: Record<Exclude<ExploreSortKey, 'consumers'>, string> = {
  name: 'lower(coalesce(n.title, n.name))',
  domain: "coalesce(n.domain, '')",
  owner: "coalesce(n.owner, '')",
  lifecycle: "coalesce(n.lifecycle, '')",
  type: "coalesce(n.type, '')",
};

/** `%`, `_` and `\` in a search word match themselves. */
function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, c => `\\${c}`);
}

function parseSummary(text: string): MeshNodeSummary {
  try {
    const summary = JSON.parse(text);
    return summary && typeof summary === 'object' ? summary : {};
  } catch {
    return {};
  }
}

interface NodeRow {
  ref: string;
  namespace: string;
  name: string;
  title: string | null;
  description: string | null;
  type: string | null;
  owner: string | null;
  domain: string | null;
  lifecycle: string | null;
  summary: string;
  sort_value: string | number;
}

/**
 * Answers the explorer from the mesh index (`data_product_mesh_nodes` and
 * `data_product_mesh_edges`, filled by the index's sync): pages of data
 * products by keyset (the sort value and ref of the last row), their total,
 * and the facets, each one indexed query.
 */
export class ExploreStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** One page of products, with the total and the facets of the query. */
  async page(query: ExploreQuery): Promise<ExploreResponse> {
    const [rows, totalCount, ...facets] = await Promise.all([
      this.#rows(query),
      this.#count(query),
      ...EXPLORE_FILTER_KEYS.map(key => this.#facet(query, key)),
    ]);
    const pageRows = rows.slice(0, query.limit);
    const consumers =
      query.sort === 'consumers'
        ? new Map(pageRows.map(row => [row.ref, Number(row.sort_value)]))
        : await this.#consumers(pageRows.map(row => row.ref));
    const last = pageRows[pageRows.length - 1];
    return {
      items: pageRows.map(row => toProduct(row, consumers.get(row.ref) ?? 0)),
      totalCount,
      ...(rows.length > query.limit && last
        ? {
            nextCursor: encodeExploreCursor(query, {
              value: last.sort_value,
              ref: last.ref,
            }),
          }
        : {}),
      facets: Object.fromEntries(
        EXPLORE_FILTER_KEYS.map((key, i) => [key, facets[i]]),
      ) as Record<ExploreFilterKey, ExploreFacetValue[]>,
      countsAreUpperBounds: false,
    };
  }

  /** The products that match the search and the filters (but `except`'s). */
  #matching(query: ExploreQuery, except?: ExploreFilterKey) {
    const builder = this.#knex(`${NODES} as n`).where(
      'n.kind',
      DATA_PRODUCT_KIND,
    );
    for (const word of query.words) {
      builder.whereRaw("n.search LIKE ? ESCAPE '\\'", [
        `%${escapeLike(word)}%`,
      ]);
    }
    for (const key of EXPLORE_FILTER_KEYS) {
      const values = query.filters[key];
      if (values && key !== except) {
        builder.whereIn(`n.${key}`, values);
      }
    }
    return builder;
  }

  /**
   * Each product's consumers: the distinct data products its ports feed.
   * Other readers of a port (a Component that depends on it) are not
   * counted. Refs are lowercased, so a product's ref starts with the
   * lowercased kind.
   */
  #consumerCounts() {
    return this.#knex(`${NODES} as p`)
      .join(`${EDGES} as e`, function onPort() {
        this.on('e.source', '=', 'p.ref')
          .andOnVal('e.type', '=', 'feeds')
          .andOnVal('e.target', 'like', `${DATA_PRODUCT_KIND.toLowerCase()}:%`);
      })
      .where('p.kind', OUTPUT_PORT_KIND)
      .whereNotNull('p.product')
      .groupBy('p.product')
      .select(
        'p.product as ref',
        this.#knex.raw('count(DISTINCT e.target)::int AS consumers'),
      );
  }

  async #rows(query: ExploreQuery): Promise<NodeRow[]> {
    const knex = this.#knex;
    const builder = this.#matching(query);
    const sortValue =
      query.sort === 'consumers'
        ? 'coalesce(c.consumers, 0)'
        : SORT_VALUE[query.sort];
    if (query.sort === 'consumers') {
      builder.leftJoin(this.#consumerCounts().as('c'), 'c.ref', 'n.ref');
    }
    if (query.after) {
      builder.whereRaw(
        `(${sortValue}, n.ref) ${query.order === 'asc' ? '>' : '<'} (?, ?)`,
        [
          query.after.value,
          query.after.ref,
        ] as ExploreAfter[keyof ExploreAfter][],
      );
    }
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    return builder
      .select(
        'n.ref',
        'n.namespace',
        'n.name',
        'n.title',
        'n.description',
        'n.type',
        'n.owner',
        'n.domain',
        'n.lifecycle',
        'n.summary',
        knex.raw(`${sortValue} AS sort_value`),
      )
      .orderByRaw(`${sortValue} ${direction}, n.ref ${direction}`)
      .limit(query.limit + 1);
  }

  async #count(query: ExploreQuery): Promise<number> {
    const [{ count }] = await this.#matching(query).count({ count: '*' });
    return Number(count);
  }

  async #facet(
    query: ExploreQuery,
    key: ExploreFilterKey,
  ): Promise<ExploreFacetValue[]> {
    const rows = (await this.#matching(query, key)
      .whereNotNull(`n.${key}`)
      .groupBy(`n.${key}`)
      .select(`n.${key} as value`)
      .count({ count: '*' })
      .orderBy([
        { column: 'count', order: 'desc' },
        { column: 'value', order: 'asc' },
      ])
      .limit(EXPLORE_MAX_FACET_VALUES)) as unknown as Array<{
      value: string;
      count: string | number;
    }>;
    return rows.map(row => ({ value: row.value, count: Number(row.count) }));
  }

  async #consumers(refs: string[]): Promise<Map<string, number>> {
    if (refs.length === 0) return new Map();
    const rows: Array<{ ref: string; consumers: number }> =
      await this.#consumerCounts().whereIn('p.product', refs);
    return new Map(rows.map(row => [row.ref, row.consumers]));
  }
}

function toProduct(row: NodeRow, consumers: number): ExploreProduct {
  const summary = parseSummary(row.summary);
  return {
    ref: row.ref,
    namespace: row.namespace,
    name: row.name,
    ...(row.title ? { title: row.title } : {}),
    ...(row.description ? { description: row.description } : {}),
    ...(row.type ? { type: row.type } : {}),
    ...(row.owner ? { owner: row.owner } : {}),
    ...(row.domain ? { domain: row.domain } : {}),
    ...(row.lifecycle ? { lifecycle: row.lifecycle } : {}),
    tags: Array.isArray(summary.tags) ? summary.tags : [],
    ports: (Array.isArray(summary.ports) ? summary.ports : []).map(port => ({
      ref: port.ref,
      name: port.name,
      ...(port.title ? { title: port.title } : {}),
      ...(port.type ? { type: port.type } : {}),
    })),
    consumers,
  };
}
