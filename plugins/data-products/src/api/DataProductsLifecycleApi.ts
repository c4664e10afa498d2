import type { CompoundEntityRef } from '@backstage/catalog-model';
import {
  createApiRef,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  DataProductConsumer,
  DataProductConsumerList,
  DeprecateDataProductRequest,
  RegisteredDataProduct,
} from '@dataproducts/plugin-data-products-common';

/** The lifecycle of a data product: its consumers, deprecation and Delete. */
export interface DataProductsLifecycleApi {
  /** Who still reads the product: declared inputs and warehouse readers. */
  getConsumers(product: CompoundEntityRef): Promise<DataProductConsumer[]>;
  /** Deprecates the product with a sunset date and, ideally, a replacement. */
  deprecate(
    product: CompoundEntityRef,
    request: DeprecateDataProductRequest,
  ): Promise<RegisteredDataProduct>;
  /** Withdraws a deprecation: the product is in production again. */
  undeprecate(product: CompoundEntityRef): Promise<RegisteredDataProduct>;
  /** Deletes (decommissions) the product; refused while consumers remain. */
  deleteProduct(product: CompoundEntityRef): Promise<void>;
}

/** The API reference of {@link DataProductsLifecycleApi}. */
export const dataProductsLifecycleApiRef =
  createApiRef<DataProductsLifecycleApi>({
    id: 'plugin.data-products.lifecycle',
  });

/** Calls the lifecycle routes of the data products backend. */
export class DataProductsLifecycleClient implements DataProductsLifecycleApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getConsumers(
    product: CompoundEntityRef,
  ): Promise<DataProductConsumer[]> {
    const body: DataProductConsumerList = await this.#call(
      product,
      '/consumers',
      { method: 'GET' },
    );
    return body.items;
  }

  deprecate(
    product: CompoundEntityRef,
    request: DeprecateDataProductRequest,
  ): Promise<RegisteredDataProduct> {
    return this.#call(product, '/deprecate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  undeprecate(product: CompoundEntityRef): Promise<RegisteredDataProduct> {
    return this.#call(product, '/undeprecate', { method: 'POST' });
  }

  async deleteProduct(product: CompoundEntityRef): Promise<void> {
    await this.#call(product, '', { method: 'DELETE' });
  }

  async #call(
    product: CompoundEntityRef,
    path: string,
    init: RequestInit,
  ): Promise<any> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('data-products');
    const url = `${baseUrl}/products/${encodeURIComponent(
      product.namespace,
    )}/${encodeURIComponent(product.name)}${path}`;
    const response = await this.#fetchApi.fetch(url, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.status === 204 ? undefined : response.json();
  }
}
