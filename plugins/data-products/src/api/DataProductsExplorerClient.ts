import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EXPLORE_FILTER_KEYS,
  type ExploreRequest,
  type ExploreResponse,
} from '@dataproducts/plugin-data-products-common';
import type { DataProductsExplorerApi } from './DataProductsExplorerApi';

/** The query string of an explorer request: filters repeat their key once per value. */
export function exploreQueryString(request: ExploreRequest): string {
  const query = new URLSearchParams();
  if (request.q) query.set('q', request.q);
  for (const key of EXPLORE_FILTER_KEYS) {
    for (const value of request[key] ?? []) query.append(key, value);
  }
  if (request.sort) query.set('sort', request.sort);
  if (request.order) query.set('order', request.order);
  if (request.limit !== undefined) query.set('limit', String(request.limit));
  if (request.cursor) query.set('cursor', request.cursor);
  return query.toString();
}

/** Calls the explorer route of the `data-products` backend through discovery and the fetch API. */
export class DataProductsExplorerClient implements DataProductsExplorerApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async explore(
    request: ExploreRequest,
    options?: { signal?: AbortSignal },
  ): Promise<ExploreResponse> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('data-products');
    const query = exploreQueryString(request);
    const response = await this.#fetchApi.fetch(
      `${baseUrl}/explore${query ? `?${query}` : ''}`,
      { signal: options?.signal },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as ExploreResponse;
  }
}
