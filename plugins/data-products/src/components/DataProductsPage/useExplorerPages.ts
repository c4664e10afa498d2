import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import type {
  ExploreProduct,
  ExploreRequest,
  ExploreResponse,
  PortQualitySummary,
  ProductFreshness,
} from '@dataproducts/plugin-data-products-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { dataProductsFreshnessApiRef } from '../../api';
import { dataProductsExplorerApiRef } from '../../api/DataProductsExplorerApi';
import { dataProductsQualityApiRef } from '../../api/DataProductsQualityApi';
import {
  EXPLORER_PAGE_SIZE,
  explorerQueryKey,
  takePrefetchedPage,
} from './explorerPrefetch';

/** What the explorer has loaded of a query: its pages so far and the chips of their products. */
export interface ExplorerPages {
  /** The first page of a new query is pending; the previous query's rows stay until it comes. */
  loading: boolean;
  error?: Error;
  items: ExploreProduct[];
  totalCount: number;
  facets?: ExploreResponse['facets'];
  countsAreUpperBounds: boolean;
  /** There are further pages; `loadMore` asks for the next. */
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  /** Freshness of the loaded products, by lowercased product ref. */
  freshness: Map<string, ProductFreshness>;
  /** The latest checks of the loaded products' ports, by product name. */
  quality: Map<string, PortQualitySummary[]>;
}

type Query = Omit<ExploreRequest, 'cursor' | 'limit'>;

interface State {
  loading: boolean;
  error?: Error;
  items: ExploreProduct[];
  totalCount: number;
  facets?: ExploreResponse['facets'];
  countsAreUpperBounds: boolean;
  nextCursor?: string;
  loadingMore: boolean;
}

const initial: State = {
  loading: true,
  items: [],
  totalCount: 0,
  countsAreUpperBounds: false,
  loadingMore: false,
};

/**
 * Pages of the explorer for a query, from the backend: the first page when
 * the query changes, the next one on `loadMore`. The freshness and quality
 * chips are asked for each loaded page's products only; the rows show
 * without them when the backend cannot answer (or the app has no client).
 */
export function useExplorerPages(query: Query): ExplorerPages {
  const explorerApi = useApi(dataProductsExplorerApiRef);
  const freshnessApi = useApiHolder().get(dataProductsFreshnessApiRef);
  const qualityApi = useApiHolder().get(dataProductsQualityApiRef);
  const [state, setState] = useState<State>(initial);
  const [freshness, setFreshness] = useState(
    new Map<string, ProductFreshness>(),
  );
  const [quality, setQuality] = useState(
    new Map<string, PortQualitySummary[]>(),
  );
  // The query the pages belong to: answers to an older query are dropped.
  const generation = useRef(0);
  const key = explorerQueryKey(query);

  const loadChips = useCallback(
    (items: ExploreProduct[], forGeneration: number) => {
      if (items.length === 0) return;
      const current = () => generation.current === forGeneration;
      freshnessApi
        ?.getFreshness(items.map(item => item.ref))
        .then(answer => {
          if (!current()) return;
          setFreshness(before => {
            const after = new Map(before);
            for (const product of answer.products) {
              after.set(product.product.toLocaleLowerCase('en-US'), product);
            }
            return after;
          });
        })
        .catch(() => undefined);
      qualityApi
        ?.getQualitySummaries(items.map(item => item.name))
        .then(ports => {
          if (!current()) return;
          setQuality(before => {
            const after = new Map(before);
            for (const item of items) {
              after.set(
                item.name,
                ports.filter(port => port.product === item.name),
              );
            }
            return after;
          });
        })
        .catch(() => undefined);
    },
    [freshnessApi, qualityApi],
  );

  useEffect(() => {
    const forGeneration = ++generation.current;
    const controller = new AbortController();
    // The rows of the previous query stay in view until the new ones come.
    setState(before => ({
      ...before,
      loading: true,
      error: undefined,
      loadingMore: false,
    }));
    // The first visit's first page may be on its way already (explorerPrefetch).
    (
      takePrefetchedPage(key) ??
      explorerApi.explore(
        { ...(JSON.parse(key) as Query), limit: EXPLORER_PAGE_SIZE },
        { signal: controller.signal },
      )
    )
      .then(page => {
        if (generation.current !== forGeneration) return;
        setFreshness(new Map());
        setQuality(new Map());
        setState({
          loading: false,
          items: page.items,
          totalCount: page.totalCount,
          facets: page.facets,
          countsAreUpperBounds: page.countsAreUpperBounds,
          nextCursor: page.nextCursor,
          loadingMore: false,
        });
        loadChips(page.items, forGeneration);
      })
      .catch(error => {
        if (generation.current !== forGeneration) return;
        setState({ ...initial, loading: false, error });
        setFreshness(new Map());
        setQuality(new Map());
      });
    return () => controller.abort();
  }, [explorerApi, key, loadChips]);

  const { nextCursor, loadingMore, loading } = state;
  // The cursor last asked for: the table may ask twice before it re-renders.
  const asked = useRef<string>();
  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore || loading || asked.current === nextCursor) {
      return;
    }
    asked.current = nextCursor;
    const forGeneration = generation.current;
    setState(before => ({ ...before, loadingMore: true }));
    explorerApi
      .explore({
        ...(JSON.parse(key) as Query),
        limit: EXPLORER_PAGE_SIZE,
        cursor: nextCursor,
      })
      .then(page => {
        if (generation.current !== forGeneration) return;
        setState(before => ({
          ...before,
          items: [...before.items, ...page.items],
          totalCount: page.totalCount,
          facets: page.facets,
          countsAreUpperBounds: page.countsAreUpperBounds,
          nextCursor: page.nextCursor,
          loadingMore: false,
        }));
        loadChips(page.items, forGeneration);
      })
      .catch(error => {
        if (generation.current !== forGeneration) return;
        asked.current = undefined;
        setState(before => ({ ...before, loadingMore: false, error }));
      });
  }, [explorerApi, key, nextCursor, loadingMore, loading, loadChips]);

  return {
    loading: state.loading,
    error: state.error,
    items: state.items,
    totalCount: state.totalCount,
    facets: state.facets,
    countsAreUpperBounds: state.countsAreUpperBounds,
    hasMore: Boolean(state.nextCursor),
    loadingMore: state.loadingMore,
    loadMore,
    freshness,
    quality,
  };
}
