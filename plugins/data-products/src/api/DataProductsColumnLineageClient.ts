import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ColumnImpact,
  PortColumnLineage,
} from '@dataproducts/plugin-data-products-common';
import type { DataProductsColumnLineageApi } from './DataProductsColumnLineageApi';

function portPath(entityRef: string): string {
  const { namespace, name } = parseEntityRef(entityRef, {
    defaultKind: 'outputport',
  });
  return `/ports/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/** Calls the column lineage routes of the `data-products` backend through discovery and the fetch API. */
export class DataProductsColumnLineageClient
  implements DataProductsColumnLineageApi
{
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  getPortColumns(
    entityRef: string,
    options: { upstream?: number; downstream?: number } = {},
  ): Promise<PortColumnLineage> {
    const query = new URLSearchParams();
    if (options.upstream !== undefined) {
      query.set('upstream', String(options.upstream));
    }
    if (options.downstream !== undefined) {
      query.set('downstream', String(options.downstream));
    }
    const search = query.toString();
    return this.#get(
      `${portPath(entityRef)}/columns${search ? `?${search}` : ''}`,
    );
  }

  getColumnImpact(entityRef: string, column: string): Promise<ColumnImpact> {
    return this.#get(
      `${portPath(entityRef)}/columns/${encodeURIComponent(column)}/impact`,
    );
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
