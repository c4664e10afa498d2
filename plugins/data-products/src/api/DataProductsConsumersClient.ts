import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  PortConnection,
  PortPreview,
  PortSizeInfo,
} from '@dataproducts/plugin-data-products-common';
import type { DataProductsConsumersApi } from './DataProductsConsumersApi';

/** Calls the consumer routes of the `data-products` backend plugin. */
export class DataProductsConsumersClient implements DataProductsConsumersApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  getPortConnection(entityRef: string): Promise<PortConnection> {
    return this.#get(entityRef, 'connection');
  }

  getPortPreview(entityRef: string): Promise<PortPreview> {
    return this.#get(entityRef, 'preview');
  }

  getPortSize(entityRef: string): Promise<PortSizeInfo> {
    return this.#get(entityRef, 'size');
  }

  async #get<T>(entityRef: string, what: string): Promise<T> {
    const { namespace, name } = parseEntityRef(entityRef, {
      defaultKind: 'outputport',
    });
    const baseUrl = await this.#discoveryApi.getBaseUrl('data-products');
    const response = await this.#fetchApi.fetch(
      `${baseUrl}/ports/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}/${what}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
