import { InputError } from '@backstage/errors';
import {
  EXPLORE_DEFAULT_LIMIT,
  EXPLORE_FILTER_KEYS,
  EXPLORE_MAX_FILTER_VALUES,
  EXPLORE_MAX_LIMIT,
  EXPLORE_MAX_QUERY_LENGTH,
  EXPLORE_SORT_KEYS,
  EXPLORE_SORT_ORDERS,
  type ExploreFilterKey,
  type ExploreSortKey,
  type ExploreSortOrder,
} from '@dataproducts/plugin-data-products-common';
import { createHash } from 'node:crypto';

/** The longest filter value: an entity ref is at most a few hundred characters. */
const MAX_FILTER_VALUE_LENGTH = 300;
/** The longest cursor this server hands out, with room to spare. */
const MAX_CURSOR_LENGTH = 2000;
/** The most words a search may hold. */
const MAX_WORDS = 10;

const PARAMETERS = [
  'q',
  ...EXPLORE_FILTER_KEYS,
  'sort',
  'order',
  'limit',
  'cursor',
];

/** Where a page starts: after the row with this sort value and ref. */
export interface ExploreAfter {
  value: string | number;
  ref: string;
}

/** A checked explorer query, as the store runs it. */
export interface ExploreQuery {
  /** Lowercased words, each of which a product's search text must contain. */
  words: string[];
  filters: Partial<Record<ExploreFilterKey, string[]>>;
  sort: ExploreSortKey;
  order: ExploreSortOrder;
  limit: number;
  after?: ExploreAfter;
}

function single(query: Record<string, unknown>, name: string) {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InputError(`Give ${name} once, as plain text`);
  }
  return value;
}

function oneOf<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(
      `Invalid ${name} ${JSON.stringify(value)}: use one of ${allowed.join(
        ', ',
      )}`,
    );
  }
  return value as T;
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return EXPLORE_DEFAULT_LIMIT;
  const limit = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= EXPLORE_MAX_LIMIT)) {
    throw new InputError(
      `Invalid limit ${JSON.stringify(
        value,
      )}: give a whole number of rows from 1 to ${EXPLORE_MAX_LIMIT}`,
    );
  }
  return limit;
}

function parseFilter(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  // Past 20 repeats the query parser (qs) hands a list over as an object
  // keyed by position.
  const listed =
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).every(key => /^\d+$/.test(key))
      ? Object.values(value)
      : value;
  const values = Array.isArray(listed) ? listed : [listed];
  if (values.some(v => typeof v !== 'string')) {
    throw new InputError(
      `Give ${name} as plain values, repeated for several (${name}=a&${name}=b)`,
    );
  }
  if (values.length > EXPLORE_MAX_FILTER_VALUES) {
    throw new InputError(
      `${name} names ${values.length} values; give at most ${EXPLORE_MAX_FILTER_VALUES}`,
    );
  }
  const bad = (values as string[]).find(
    v => v.length === 0 || v.length > MAX_FILTER_VALUE_LENGTH,
  );
  if (bad !== undefined) {
    throw new InputError(
      `Invalid ${name} ${JSON.stringify(
        bad.slice(0, 80),
      )}: give a value of 1 to ${MAX_FILTER_VALUE_LENGTH} characters, as the facets list them`,
    );
  }
  return [...new Set(values as string[])];
}

function parseWords(value: string | undefined): string[] {
  if (value === undefined) return [];
  if (value.length > EXPLORE_MAX_QUERY_LENGTH) {
    throw new InputError(
      `The search text q has ${value.length} characters; give at most ${EXPLORE_MAX_QUERY_LENGTH}`,
    );
  }
  const words = [
    ...new Set(value.toLocaleLowerCase('en-US').split(/\s+/).filter(Boolean)),
  ];
  if (words.length > MAX_WORDS) {
    throw new InputError(
      `The search text q has ${words.length} words; give at most ${MAX_WORDS}`,
    );
  }
  return words;
}

/**
 * What a cursor is bound to: the search, filters, sort and order it was made
 * for. A cursor given with another query is refused rather than answering a
 * page of a different list.
 */
function fingerprint(query: Omit<ExploreQuery, 'limit' | 'after'>): string {
  const filters = EXPLORE_FILTER_KEYS.map(key =>
    [...(query.filters[key] ?? [])].sort(),
  );
  return createHash('sha256')
    .update(
      JSON.stringify([query.words, filters, query.sort, query.order]),
      'utf8',
    )
    .digest('base64url')
    .slice(0, 16);
}

/** The cursor of the page that follows the row with this sort value and ref. */
export function encodeExploreCursor(
  query: Omit<ExploreQuery, 'limit' | 'after'>,
  after: ExploreAfter,
): string {
  return Buffer.from(
    JSON.stringify([fingerprint(query), after.value, after.ref]),
    'utf8',
  ).toString('base64url');
}

function decodeCursor(
  cursor: string,
  query: Omit<ExploreQuery, 'limit' | 'after'>,
): ExploreAfter {
  const refuse = (why: string) =>
    new InputError(
      `Invalid cursor ${JSON.stringify(
        cursor.slice(0, 40),
      )}: ${why}; give the nextCursor of the previous page, unchanged, with the same q, filters, sort and order (or no cursor for the first page)`,
    );
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw refuse('it is not one this server made');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('it is not one this server made');
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 3 ||
    typeof decoded[0] !== 'string' ||
    typeof decoded[2] !== 'string' ||
    !(query.sort === 'consumers'
      ? Number.isSafeInteger(decoded[1]) && decoded[1] >= 0
      : typeof decoded[1] === 'string')
  ) {
    throw refuse('it is not one this server made');
  }
  if (decoded[0] !== fingerprint(query)) {
    throw refuse('it belongs to another search, filter or sort');
  }
  return { value: decoded[1], ref: decoded[2] };
}

/**
 * Checks the query string of `GET /explore` and turns it into the query the
 * store runs. Throws an `InputError` that names the offending parameter or
 * value and says what is allowed.
 */
export function parseExploreQuery(
  query: Record<string, unknown>,
): ExploreQuery {
  const unknown = Object.keys(query).filter(key => !PARAMETERS.includes(key));
  if (unknown.length > 0) {
    throw new InputError(
      `Unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown
        .map(key => JSON.stringify(key))
        .join(', ')}: use ${PARAMETERS.join(', ')}`,
    );
  }
  const filters: ExploreQuery['filters'] = {};
  for (const key of EXPLORE_FILTER_KEYS) {
    const values = parseFilter(query[key], key);
    // The index keeps domains and owners as lowercased refs.
    if (values) {
      filters[key] =
        key === 'domain' || key === 'owner'
          ? [...new Set(values.map(v => v.toLocaleLowerCase('en-US')))]
          : values;
    }
  }
  const base = {
    words: parseWords(single(query, 'q')),
    filters,
    sort: oneOf(single(query, 'sort'), 'sort', EXPLORE_SORT_KEYS, 'name'),
    order: oneOf(single(query, 'order'), 'order', EXPLORE_SORT_ORDERS, 'asc'),
  };
  const cursor = single(query, 'cursor');
  return {
    ...base,
    limit: parseLimit(single(query, 'limit')),
    ...(cursor !== undefined ? { after: decodeCursor(cursor, base) } : {}),
  };
}
