import {
  createApiRef,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  DataProductEntityV1alpha1,
  DataProductPlan,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';

/** A product as a template provisions it: the DataProduct and its OutputPorts. */
export interface PlanRequest {
  product: DataProductEntityV1alpha1;
  ports: OutputPortEntityV1alpha1[];
}

/** Plans a change to a data product before it is applied. */
export interface DataProductPlansApi {
  /** The dry-run plan of the product and the diff of its ports; changes nothing. */
  plan(request: PlanRequest): Promise<DataProductPlan>;
}

/** The API ref of {@link DataProductPlansApi}. */
export const dataProductPlansApiRef = createApiRef<DataProductPlansApi>({
  id: 'plugin.data-products.plans',
});

/** Calls `POST /api/data-products/plans` through discovery and the fetch API. */
export class DataProductPlansClient implements DataProductPlansApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async plan(request: PlanRequest): Promise<DataProductPlan> {
    const base = await this.#discoveryApi.getBaseUrl('data-products');
    const response = await this.#fetchApi.fetch(`${base}/plans`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}
