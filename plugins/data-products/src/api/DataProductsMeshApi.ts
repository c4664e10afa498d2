import {
  createApiRef,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  MeshGraph,
  MeshGraphRequest,
  MeshSearchResult,
} from '@dataproducts/plugin-data-products-common';

/** The mesh view's graph and search (`GET /mesh`, `GET /mesh/search`). */
export interface DataProductsMeshApi {
  /** Domains (or, for the groups in `expand`, their products) and the flows between them; around `focus` when given. */
  getMesh(request?: MeshGraphRequest): Promise<MeshGraph>;
  /** Products, sources and domains whose name or title contains `text`. */
  searchMesh(text: string): Promise<MeshSearchResult>;
}

/** The API reference of {@link DataProductsMeshApi}. */
export const dataProductsMeshApiRef = createApiRef<DataProductsMeshApi>({
  id: 'plugin.data-products.mesh',
});

/** Calls the mesh routes of the `data-products` backend through discovery and the fetch API. */
export class DataProductsMeshClient implements DataProductsMeshApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  getMesh(request: MeshGraphRequest = {}): Promise<MeshGraph> {
    const query = new URLSearchParams();
    for (const group of request.expand ?? []) query.append('expand', group);
    if (request.focus) query.set('focus', request.focus);
    if (request.focus && request.depth !== undefined) {
      query.set('depth', String(request.depth));
    }
    if (request.limit !== undefined) query.set('limit', String(request.limit));
    const search = query.toString();
    return this.#get(`/mesh${search ? `?${search}` : ''}`);
  }

  searchMesh(text: string): Promise<MeshSearchResult> {
    return this.#get(`/mesh/search?${new URLSearchParams({ q: text })}`);
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
