import { ResponseError } from '@backstage/errors';
import type { DataProductRegistryChangePage } from './changes';
import type {
  DataProductRegistration,
  DataProductRegistrationBatch,
  DataProductRegistrationBatchResult,
  DataProductRegistrationResult,
  RegisteredDataProduct,
  RegisteredDataProductList,
} from './types';

/** The plugin that serves the registry. */
const PLUGIN_ID = 'data-products';

/** Options of one registry request. */
export interface DataProductsRegistryRequestOptions {
  /** A Backstage token for the request (a user's, or a backend's plugin request token). */
  token?: string;
}

/** The self-service data product registry of the data-products backend. */
export interface DataProductsRegistryApi {
  /** Every registered product, ordered by name. */
  listProducts(
    options?: DataProductsRegistryRequestOptions,
  ): Promise<RegisteredDataProduct[]>;
  /**
   * Every registered product with the change-feed cursor they reflect, read
   * in one database snapshot: continue with `getChanges({ after: cursor })`.
   */
  getSnapshot(
    options?: DataProductsRegistryRequestOptions,
  ): Promise<RegisteredDataProductList>;
  /**
   * The registry's changes after a cursor (see `DataProductRegistryChangePage`
   * for `more` and `stale`); `limit` from 1 to 500, 100 by default.
   */
  getChanges(
    query: { after: number; limit?: number },
    options?: DataProductsRegistryRequestOptions,
  ): Promise<DataProductRegistryChangePage>;
  /** One registered product; a `ResponseError` caused by a `NotFoundError` when there is none. */
  getProduct(
    name: string,
    options?: DataProductsRegistryRequestOptions,
  ): Promise<RegisteredDataProduct>;
  /**
   * Registers a product under its `metadata.name`, or replaces its registered
   * version. Refused with a `ResponseError` caused by an `InputError` naming
   * every problem, or by a `NotAllowedError`.
   */
  registerProduct(
    registration: DataProductRegistration,
    options?: DataProductsRegistryRequestOptions,
  ): Promise<DataProductRegistrationResult>;
  /** Checks that the registry would accept a registration, without storing it (a dry run). */
  validateProduct(
    registration: DataProductRegistration,
    options?: DataProductsRegistryRequestOptions,
  ): Promise<void>;
  /**
   * Decommissions a product in the warehouse and removes it from the
   * registry; refused (`ConflictError` cause) while other products read it.
   */
  removeProduct(
    name: string,
    options?: DataProductsRegistryRequestOptions,
  ): Promise<void>;
  /**
   * Registers many products in one request (`POST /registry/products`, at
   * most `DATA_PRODUCT_REGISTRY_BATCH_MAX_ITEMS`): each is checked and
   * authorized as `registerProduct` does, and all are stored, or none.
   */
  registerProducts(
    batch: DataProductRegistrationBatch,
    options?: DataProductsRegistryRequestOptions,
  ): Promise<DataProductRegistrationBatchResult>;
}

/**
 * An HTTP client of the registry, for the browser and for backends alike.
 * Every failed request throws the `ResponseError` of `@backstage/errors`,
 * whose `cause` is the server's typed error (`InputError`, `NotFoundError`,
 * `ConflictError`, `NotAllowedError`, ...).
 */
export class DataProductsRegistryClient implements DataProductsRegistryApi {
  readonly #discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  readonly #fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi ?? {
      fetch: (input, init) => fetch(input, init),
    };
  }

  async listProducts(
    options?: DataProductsRegistryRequestOptions,
  ): Promise<RegisteredDataProduct[]> {
    return (await this.getSnapshot(options)).items;
  }

  async getSnapshot(
    options?: DataProductsRegistryRequestOptions,
  ): Promise<RegisteredDataProductList> {
    const response = await this.#request('GET', '/products', options);
    return response.json();
  }

  async getChanges(
    query: { after: number; limit?: number },
    options?: DataProductsRegistryRequestOptions,
  ): Promise<DataProductRegistryChangePage> {
    const params = new URLSearchParams({ after: String(query.after) });
    if (query.limit !== undefined) {
      params.set('limit', String(query.limit));
    }
    const response = await this.#request('GET', `/changes?${params}`, options);
    return response.json();
  }

  async getProduct(
    name: string,
    options?: DataProductsRegistryRequestOptions,
  ): Promise<RegisteredDataProduct> {
    const response = await this.#request(
      'GET',
      `/products/${encodeURIComponent(name)}`,
      options,
    );
    return response.json();
  }

  async registerProduct(
    registration: DataProductRegistration,
    options?: DataProductsRegistryRequestOptions,
  ): Promise<DataProductRegistrationResult> {
    const response = await this.#request(
      'PUT',
      `/products/${encodeURIComponent(registration.product.metadata.name)}`,
      options,
      registration,
    );
    const item: RegisteredDataProduct = await response.json();
    return { created: response.status === 201, item };
  }

  async validateProduct(
    registration: DataProductRegistration,
    options?: DataProductsRegistryRequestOptions,
  ): Promise<void> {
    await this.#request(
      'PUT',
      `/products/${encodeURIComponent(
        registration.product.metadata.name,
      )}?dryRun=true`,
      options,
      registration,
    );
  }

  async registerProducts(
    batch: DataProductRegistrationBatch,
    options?: DataProductsRegistryRequestOptions,
  ): Promise<DataProductRegistrationBatchResult> {
    const response = await this.#request('POST', '/products', options, batch);
    return response.json();
  }

  async removeProduct(
    name: string,
    options?: DataProductsRegistryRequestOptions,
  ): Promise<void> {
    await this.#request(
      'DELETE',
      `/products/${encodeURIComponent(name)}`,
      options,
    );
  }

  async #request(
    method: string,
    path: string,
    options: DataProductsRegistryRequestOptions | undefined,
    body?: DataProductRegistration | DataProductRegistrationBatch,
  ): Promise<Response> {
    const baseUrl = await this.#discoveryApi.getBaseUrl(PLUGIN_ID);
    const headers: Record<string, string> = {};
    if (options?.token) {
      headers.Authorization = `Bearer ${options.token}`;
    }
    if (body) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await this.#fetchApi.fetch(`${baseUrl}/registry${path}`, {
      method,
      headers,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
