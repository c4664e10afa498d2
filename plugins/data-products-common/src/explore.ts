/**
 * The explorer's query and answer (`GET /api/data-products/explore`): one
 * page of data products from the mesh index, filtered, searched and sorted
 * by the server, with the total count and the values the filters offer.
 */

/** The keys the explorer sorts by; every sort ends with the product's ref, so that ties keep one order. */
export const EXPLORE_SORT_KEYS = [
  'name',
  'domain',
  'owner',
  'lifecycle',
  'type',
  'consumers',
] as const;

/** A key the explorer sorts by: `name` is the title a product shows (its name when it has none). */
export type ExploreSortKey = (typeof EXPLORE_SORT_KEYS)[number];

/** The directions of a sort. */
export const EXPLORE_SORT_ORDERS = ['asc', 'desc'] as const;

/** `asc` (A to Z, fewest consumers first) or `desc`. */
export type ExploreSortOrder = (typeof EXPLORE_SORT_ORDERS)[number];

/** The fields the explorer filters by; each takes several values (a product matches any of them). */
export const EXPLORE_FILTER_KEYS = [
  'domain',
  'owner',
  'lifecycle',
  'type',
] as const;

/** A field the explorer filters by. */
export type ExploreFilterKey = (typeof EXPLORE_FILTER_KEYS)[number];

/** The rows a page holds unless `limit` says otherwise. */
export const EXPLORE_DEFAULT_LIMIT = 50;

/** The most rows one page may hold. */
export const EXPLORE_MAX_LIMIT = 200;

/** The longest search text, in characters. */
export const EXPLORE_MAX_QUERY_LENGTH = 200;

/** The most values one filter may name. */
export const EXPLORE_MAX_FILTER_VALUES = 50;

/** The most values a facet lists (the most frequent first). */
export const EXPLORE_MAX_FACET_VALUES = 500;

/** What the explorer asks for: every field is optional. */
export interface ExploreRequest {
  /**
   * Search text: a product matches when every word of it appears (case
   * ignored, `%` and `_` literal) in its name, title, description, tags,
   * owner, domain, or its ports' and columns' names.
   */
  q?: string;
  domain?: string[];
  owner?: string[];
  lifecycle?: string[];
  type?: string[];
  /** `name` unless given. */
  sort?: ExploreSortKey;
  /** `asc` unless given. */
  order?: ExploreSortOrder;
  /** Rows per page, 1 to {@link EXPLORE_MAX_LIMIT}. */
  limit?: number;
  /** The `nextCursor` of the previous page, asked with the same query. */
  cursor?: string;
}

/** One output port of a product in the explorer. */
export interface ExplorePort {
  /** Lowercased entity ref of the port. */
  ref: string;
  /** The port name in the warehouse (`spec.name`). */
  name: string;
  title?: string;
  /** The port's `spec.type`. */
  type?: string;
}

/** One data product, as a row of the explorer. */
export interface ExploreProduct {
  /** Lowercased entity ref, e.g. `dataproduct:default/sales-crm-customers`. */
  ref: string;
  namespace: string;
  name: string;
  title?: string;
  description?: string;
  /** `spec.type`: source-aligned, aggregate or consumer-aligned. */
  type?: string;
  /** Lowercased entity ref of the owner. */
  owner?: string;
  /** Lowercased entity ref of the domain. */
  domain?: string;
  lifecycle?: string;
  tags: string[];
  ports: ExplorePort[];
  /** How many distinct data products read one of its ports. */
  consumers: number;
}

/** One value a filter offers, with how many products of the current query have it. */
export interface ExploreFacetValue {
  value: string;
  count: number;
}

/** One page of the explorer. */
export interface ExploreResponse {
  items: ExploreProduct[];
  /** Products matching the search and filters, over every page. */
  totalCount: number;
  /** Ask again with this cursor for the next page; absent on the last page. */
  nextCursor?: string;
  /**
   * For each filter, its values among the products matching the search and
   * the other filters (a filter does not narrow its own values).
   */
  facets: Record<ExploreFilterKey, ExploreFacetValue[]>;
  /**
   * True when the caller may not read every entity: the page then holds only
   * the products they can read, and `totalCount` and the facets' counts are
   * upper bounds.
   */
  countsAreUpperBounds: boolean;
}
