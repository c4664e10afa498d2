import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type ExploreFacetValue,
  type ExploreFilterKey,
  type ExploreResponse,
} from '@dataproducts/plugin-data-products-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import type { ExploreStore } from './ExploreStore';
import type { ExploreQuery } from './parseExploreQuery';

const noFacets = (): Record<ExploreFilterKey, ExploreFacetValue[]> => ({
  domain: [],
  owner: [],
  lifecycle: [],
  type: [],
});

/**
 * The explorer's pages as the caller may see them. The index does not know
 * who may read what, so the catalog's read permission decides: a caller the
 * policy allows every entity gets the index's answer; a caller it denies
 * gets nothing; a caller with a conditional decision gets the page without
 * the products (and ports) the catalog does not show them, found with one
 * batched catalog read per page, and counts that are upper bounds.
 */
export class ExploreService {
  readonly #store: ExploreStore;
  readonly #permissions: PermissionsService;
  readonly #catalog: CatalogService;

  constructor(options: {
    store: ExploreStore;
    permissions: PermissionsService;
    catalog: CatalogService;
  }) {
    this.#store = options.store;
    this.#permissions = options.permissions;
    this.#catalog = options.catalog;
  }

  /** One page of the explorer for the caller. */
  async explore(
    query: ExploreQuery,
    credentials: BackstageCredentials,
  ): Promise<ExploreResponse> {
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      return {
        items: [],
        totalCount: 0,
        facets: noFacets(),
        countsAreUpperBounds: false,
      };
    }
    const page = await this.#store.page(query);
    if (decision.result === AuthorizeResult.ALLOW || page.items.length === 0) {
      return page;
    }
    const refs = [
      ...new Set(
        page.items.flatMap(item => [
          item.ref,
          ...item.ports.map(port => port.ref),
        ]),
      ),
    ];
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.name'] },
      { credentials },
    );
    const readable = new Set(refs.filter((_ref, i) => items[i]));
    return {
      ...page,
      items: page.items
        .filter(item => readable.has(item.ref))
        .map(item => ({
          ...item,
          ports: item.ports.filter(port => readable.has(port.ref)),
        })),
      countsAreUpperBounds: true,
    };
  }
}
