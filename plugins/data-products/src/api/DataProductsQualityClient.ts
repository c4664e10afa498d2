import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  PortQuality,
  PortQualitySummary,
} from '@dataproducts/plugin-data-products-common';
import type { DataProductsQualityApi } from './DataProductsQualityApi';

/** Calls the quality routes of the `data-products` backend through discovery and the fetch API. */
export class DataProductsQualityClient implements DataProductsQualityApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  getPortQuality(entityRef: string): Promise<PortQuality> {
    const { namespace, name } = parseEntityRef(entityRef, {
      defaultKind: 'outputport',
    });
    return this.#call(
      `/ports/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}/quality`,
    );
  }

  async getQualitySummaries(
    products?: string[],
  ): Promise<PortQualitySummary[]> {
    const query = products?.length
      ? `?${new URLSearchParams({ products: products.join(',') })}`
      : '';
    const { ports } = await this.#call<{ ports: PortQualitySummary[] }>(
      `/quality${query}`,
    );
    return ports;
  }

  async #call<T>(path: string): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('data-products');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
