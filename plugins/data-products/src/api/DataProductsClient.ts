import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  DataProductStatus,
  Lineage,
  OutputPortStatus,
} from '@dataproducts/plugin-data-products-common';
import type {
  DataProductsApi,
  LineageOptions,
  ModelCheckRequest,
  ModelCheckResult,
} from './DataProductsApi';

/** Calls the `data-products` backend plugin through discovery and the fetch API. */
export class DataProductsClient implements DataProductsApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getProductStatus(entityRef: string): Promise<DataProductStatus> {
    const { namespace, name } = parseEntityRef(entityRef, {
      defaultKind: 'dataproduct',
    });
    return this.#get(
      `/products/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}/status`,
    );
  }

  async getPortStatus(entityRef: string): Promise<OutputPortStatus> {
    const { namespace, name } = parseEntityRef(entityRef, {
      defaultKind: 'outputport',
    });
    return this.#get(
      `/ports/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}/status`,
    );
  }

  async getLineage(options: LineageOptions): Promise<Lineage> {
    const query = new URLSearchParams();
    if (options.entityRef) query.set('entityRef', options.entityRef);
    if (options.upstream !== undefined) {
      query.set('upstream', String(options.upstream));
    }
    if (options.downstream !== undefined) {
      query.set('downstream', String(options.downstream));
    }
    const search = query.toString();
    return this.#get(`/lineage${search ? `?${search}` : ''}`);
  }

  async checkModel(request: ModelCheckRequest): Promise<ModelCheckResult> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('data-products');
    const response = await this.#fetchApi.fetch(`${baseUrl}/models/check`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as ModelCheckResult;
  }

  async #get<T>(path: string): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('data-products');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
