import type {
  ExploreRequest,
  ExploreResponse,
  ExploreSortKey,
  ExploreSortOrder,
} from '@dataproducts/plugin-data-products-common';
import type { DataProductsExplorerApi } from '../../api/DataProductsExplorerApi';

/** The rows the explorer asks for at a time. */
export const EXPLORER_PAGE_SIZE = 50;

/** The explorer's query when the page opens: every product, by name. */
export const INITIAL_EXPLORER_QUERY: {
  sort: ExploreSortKey;
  order: ExploreSortOrder;
} = { sort: 'name', order: 'asc' };

/** A first page asked for before the explorer rendered. */
interface Prefetched {
  key: string;
  askedAt: number;
  page: Promise<ExploreResponse>;
}

/** An answer older than this is not shown: the explorer asks again. */
const PREFETCH_MAX_AGE_MS = 10_000;

let prefetched: Prefetched | undefined;
/** Set by the first prefetch: one is enough (see prefetchFirstExplorerPage). */
let prefetchedOnce = false;

/** The key of a query, as the explorer compares queries. */
export function explorerQueryKey(
  query: Omit<ExploreRequest, 'cursor' | 'limit'>,
): string {
  return JSON.stringify(query);
}

/**
 * Asks for the explorer's first page while the page's code loads. The first
 * visit of the page in a session loads its code, then renders the app around
 * it, and only then would the explorer ask: about half a second in which the
 * answer can already come. `takePrefetchedPage` hands it over.
 *
 * Only the first call of a session asks: the page's loader runs on each
 * render of the page's frame until the code is there (a dozen times as the
 * app starts), and later visits find the code and the app loaded already.
 */
export function prefetchFirstExplorerPage(api: DataProductsExplorerApi) {
  if (prefetchedOnce) return;
  prefetchedOnce = true;
  const page = api.explore({
    ...INITIAL_EXPLORER_QUERY,
    limit: EXPLORER_PAGE_SIZE,
  });
  // Whoever takes it handles a failure; one nobody takes is dropped.
  page.catch(() => undefined);
  prefetched = {
    key: explorerQueryKey(INITIAL_EXPLORER_QUERY),
    askedAt: Date.now(),
    page,
  };
}

/** The prefetched first page of `key`, once, while it is recent. */
export function takePrefetchedPage(
  key: string,
): Promise<ExploreResponse> | undefined {
  const taken = prefetched;
  prefetched = undefined;
  if (!taken || taken.key !== key) return undefined;
  if (Date.now() - taken.askedAt > PREFETCH_MAX_AGE_MS) return undefined;
  return taken.page;
}
