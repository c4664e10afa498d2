import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  PortFreshness,
  ProductFreshness,
  RefreshRun,
} from '@dataproducts/plugin-data-products-common';
import type { DataProductsFreshnessApi } from './DataProductsFreshnessApi';

function entityPath(entityRef: string, defaultKind: string): string {
  const { namespace, name } = parseEntityRef(entityRef, { defaultKind });
  return `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/** Calls the freshness routes of the `data-products` backend through discovery and the fetch API. */
export class DataProductsFreshnessClient implements DataProductsFreshnessApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  getPortFreshness(entityRef: string): Promise<PortFreshness> {
    return this.#call(
      `/ports/${entityPath(entityRef, 'outputport')}/freshness`,
    );
  }

  getProductFreshness(entityRef: string): Promise<ProductFreshness> {
    return this.#call(
      `/products/${entityPath(entityRef, 'dataproduct')}/freshness`,
    );
  }

  getFreshness(
    entityRefs?: string[],
  ): Promise<{ products: ProductFreshness[]; ports: PortFreshness[] }> {
    const query = new URLSearchParams();
    for (const ref of entityRefs ?? []) {
      query.append('entityRef', ref);
    }
    const search = query.toString();
    return this.#call(`/freshness${search ? `?${search}` : ''}`);
  }

  refreshPort(
    entityRef: string,
  ): Promise<{ run: RefreshRun; freshness: PortFreshness }> {
    return this.#call(`/ports/${entityPath(entityRef, 'outputport')}/refresh`, {
      method: 'POST',
    });
  }

  async #call<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('data-products');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
