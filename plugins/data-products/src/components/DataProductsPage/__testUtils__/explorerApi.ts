import {
  EXPLORE_FILTER_KEYS,
  type ExploreFacetValue,
  type ExploreProduct,
  type ExploreRequest,
  type ExploreResponse,
} from '@dataproducts/plugin-data-products-common';
import type { DataProductsExplorerApi } from '../../../api/DataProductsExplorerApi';

/** The three demo products as the explorer answers them. */
export const demoProducts: ExploreProduct[] = [
  {
    ref: 'dataproduct:default/marketing-customer-360',
    namespace: 'default',
    name: 'marketing-customer-360',
    title: 'Marketing Customer 360',
    type: 'consumer-aligned',
    owner: 'group:default/marketing',
    domain: 'domain:default/marketing',
    lifecycle: 'production',
    tags: [],
    ports: [
      {
        ref: 'outputport:default/marketing-customer-360-customer-activity',
        name: 'customer_activity',
        type: 'postgres-table',
      },
    ],
    consumers: 0,
  },
  {
    ref: 'dataproduct:default/sales-crm-customers',
    namespace: 'default',
    name: 'sales-crm-customers',
    title: 'Sales CRM Customers',
    type: 'source-aligned',
    owner: 'group:default/sales',
    domain: 'domain:default/sales',
    lifecycle: 'production',
    tags: [],
    ports: [
      {
        ref: 'outputport:default/sales-crm-customers-customers',
        name: 'customers',
        type: 'postgres-table',
      },
    ],
    consumers: 1,
  },
  {
    ref: 'dataproduct:default/sales-erp-orders',
    namespace: 'default',
    name: 'sales-erp-orders',
    title: 'Sales ERP Orders',
    type: 'source-aligned',
    owner: 'group:default/sales',
    domain: 'domain:default/sales',
    lifecycle: 'experimental',
    tags: [],
    ports: [
      {
        ref: 'outputport:default/sales-erp-orders-orders',
        name: 'orders',
        type: 'postgres-view',
      },
    ],
    consumers: 1,
  },
];

/** `count` products named product-000, product-001, … in two domains. */
export function manyProducts(count: number): ExploreProduct[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `product-${String(i).padStart(3, '0')}`;
    return {
      ref: `dataproduct:default/${name}`,
      namespace: 'default',
      name,
      title: `Product ${String(i).padStart(3, '0')}`,
      type: 'aggregate',
      owner: 'group:default/sales',
      domain: `domain:default/${i % 2 ? 'sales' : 'marketing'}`,
      lifecycle: 'production',
      tags: [],
      ports: [],
      consumers: i % 3,
    };
  });
}

function facet(products: ExploreProduct[], key: string): ExploreFacetValue[] {
  const counts = new Map<string, number>();
  for (const product of products) {
    const value = product[key as keyof ExploreProduct] as string | undefined;
    if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => ({ value, count }));
}

/**
 * An explorer API over a list of products that searches, filters, sorts
 * and pages as the backend does (the cursor is an offset here), recording
 * every request.
 */
export function fakeExplorerApi(products: ExploreProduct[]) {
  const requests: ExploreRequest[] = [];
  const api: DataProductsExplorerApi = {
    explore: jest.fn(async (request: ExploreRequest) => {
      requests.push(request);
      const words = (request.q ?? '')
        .toLowerCase()
        .split(/\s+/)
        .filter(Boolean);
      const matching = (except?: string) =>
        products.filter(
          p =>
            words.every(w =>
              [p.name, p.title, p.description, ...p.ports.map(x => x.name)]
                .join(' ')
                .toLowerCase()
                .includes(w),
            ) &&
            EXPLORE_FILTER_KEYS.every(
              key =>
                key === except ||
                !request[key]?.length ||
                request[key]!.includes(p[key] ?? ''),
            ),
        );
      const sort = request.sort ?? 'name';
      const key = (p: ExploreProduct): string => {
        if (sort === 'name') return (p.title ?? p.name).toLowerCase();
        if (sort === 'consumers') return String(p.consumers).padStart(6, '0');
        return p[sort] ?? '';
      };
      const sorted = matching().sort(
        (a, b) =>
          (key(a).localeCompare(key(b)) || a.ref.localeCompare(b.ref)) *
          (request.order === 'desc' ? -1 : 1),
      );
      const start = Number(request.cursor ?? 0);
      const limit = request.limit ?? 50;
      const response: ExploreResponse = {
        items: sorted.slice(start, start + limit),
        totalCount: sorted.length,
        ...(start + limit < sorted.length
          ? { nextCursor: String(start + limit) }
          : {}),
        facets: Object.fromEntries(
          EXPLORE_FILTER_KEYS.map(k => [k, facet(matching(k), k)]),
        ) as ExploreResponse['facets'],
        countsAreUpperBounds: false,
      };
      return response;
    }),
  };
  return { api, requests };
}
