import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  entityPresentationApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { ExploreProduct } from '@dataproducts/plugin-data-products-common';
import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import {
  dataProductsApiRef,
  type DataProductsFreshnessApi,
  dataProductsFreshnessApiRef,
} from '../../api';
import { dataProductsColumnLineageApiRef } from '../../api/DataProductsColumnLineageApi';
import { dataProductsExplorerApiRef } from '../../api/DataProductsExplorerApi';
import {
  type DataProductsMeshApi,
  dataProductsMeshApiRef,
} from '../../api/DataProductsMeshApi';
import {
  type DataProductsQualityApi,
  dataProductsQualityApiRef,
} from '../../api/DataProductsQualityApi';
import {
  crmFreshness,
  mockFreshnessApi,
} from '../../__testUtils__/freshnessFixtures';
import {
  mockColumnLineageApi,
  mockDataProductsApi,
  presentationOf,
} from '../../__testUtils__/renderEntityPage';
import {
  demoProducts,
  fakeExplorerApi,
  manyProducts,
} from './__testUtils__/explorerApi';
import { DataProductsPage } from './DataProductsPage';
import { ROW_HEIGHT } from './DataProductsTable';
import { prefetchFirstExplorerPage } from './explorerPrefetch';

// A loaded machine renders a page of the test app in seconds.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(60_000);

const named = (kind: string, name: string, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: DEFAULT_NAMESPACE, title },
  spec: {},
});

const titled = [
  named('Domain', 'sales', 'Sales domain'),
  named('Domain', 'marketing', 'Marketing domain'),
  named('Group', 'sales', 'Sales team'),
  named('Group', 'marketing', 'Marketing team'),
];

function renderPage(
  products: ExploreProduct[] = demoProducts,
  options: {
    api?: ReturnType<typeof mockDataProductsApi>;
    freshnessApi?: DataProductsFreshnessApi;
    qualityApi?: DataProductsQualityApi;
    meshApi?: DataProductsMeshApi;
  } = {},
) {
  const explorer = fakeExplorerApi(products);
  renderInTestApp(<DataProductsPage />, {
    apis: [
      [dataProductsExplorerApiRef, explorer.api],
      [entityPresentationApiRef, presentationOf(titled)],
      [dataProductsApiRef, options.api ?? mockDataProductsApi()],
      [dataProductsFreshnessApiRef, options.freshnessApi ?? mockFreshnessApi()],
      ...(options.qualityApi
        ? [[dataProductsQualityApiRef, options.qualityApi] as const]
        : []),
      [dataProductsColumnLineageApiRef, mockColumnLineageApi()],
      ...(options.meshApi
        ? [[dataProductsMeshApiRef, options.meshApi] as const]
        : []),
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
  return explorer;
}

function productNames() {
  return within(screen.getByTestId('data-products-rows'))
    .getAllByRole('row')
    .map(row => within(row).getAllByRole('cell')[0].textContent);
}

describe('DataProductsPage', () => {
  it('lists the first page with every column, ports and consumer counts', async () => {
    const explorer = renderPage();
    expect(await screen.findByText('3 data products')).toBeInTheDocument();
    expect(productNames()).toEqual([
      'Marketing Customer 360',
      'Sales CRM Customers',
      'Sales ERP Orders',
    ]);
    expect(
      screen.getAllByRole('columnheader').map(header => header.textContent),
    ).toEqual([
      'Data product',
      'Domain',
      'Type',
      'Owner',
      'Lifecycle',
      'Output ports',
      'Consumers',
      'Freshness',
      'Quality',
    ]);
    const crm = screen.getByText('Sales CRM Customers').closest('[role=row]')!;
    expect(within(crm as HTMLElement).getByText('customers')).toHaveAttribute(
      'href',
      '/catalog/default/outputport/sales-crm-customers-customers',
    );
    expect(screen.getByText('Sales CRM Customers')).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/sales-crm-customers',
    );
    expect(crm).toHaveTextContent('1');
    const erp = screen.getByText('Sales ERP Orders').closest('[role=row]')!;
    expect(erp).toHaveTextContent('(view)');
    expect(erp).toHaveTextContent('experimental');
    expect(explorer.requests).toEqual([
      { sort: 'name', order: 'asc', limit: 50 },
    ]);
  });

  it('shows the first page asked for while the page loaded, and asks only once a session', async () => {
    // What the page's loader does on the first visit (alpha.tsx).
    const early = fakeExplorerApi(demoProducts);
    prefetchFirstExplorerPage(early.api);
    const explorer = renderPage();
    expect(await screen.findByText('3 data products')).toBeInTheDocument();
    expect(productNames()).toHaveLength(3);
    expect(early.api.explore).toHaveBeenCalledTimes(1);
    expect(early.api.explore).toHaveBeenCalledWith({
      sort: 'name',
      order: 'asc',
      limit: 50,
    });
    expect(explorer.api.explore).not.toHaveBeenCalled();

    // Later loads of the page's code ask nothing: the answer was taken.
    prefetchFirstExplorerPage(early.api);
    expect(early.api.explore).toHaveBeenCalledTimes(1);
  });

  it('loads the next page as the user scrolls, rendering only the rows in view', async () => {
    const explorer = renderPage(manyProducts(120));
    expect(await screen.findByText('120 data products')).toBeInTheDocument();
    // Only the rows in view (and a few beyond) are in the page.
    expect(productNames().length).toBeLessThan(20);
    expect(productNames()[0]).toBe('Product 000');
    const list = screen.getByTestId('data-products-rows');
    Object.defineProperty(list, 'clientHeight', { value: 8 * ROW_HEIGHT });
    Object.defineProperty(list, 'scrollHeight', { value: 51 * ROW_HEIGHT });
    fireEvent.scroll(list, { target: { scrollTop: 42 * ROW_HEIGHT } });
    await waitFor(() => expect(explorer.requests).toHaveLength(2));
    expect(explorer.requests[1]).toEqual({
      sort: 'name',
      order: 'asc',
      limit: 50,
      cursor: '50',
    });
    expect(await screen.findByText('Product 050')).toBeInTheDocument();
    expect(productNames()).not.toContain('Product 000');
  });

  it('keeps asking while pages come back short, as for a caller who may not read every product', async () => {
    const [first, second, third] = demoProducts;
    const pages = [
      { items: [first], nextCursor: 'a' },
      { items: [], nextCursor: 'b' },
      { items: [second, third] },
    ];
    const requests: unknown[] = [];
    const explore = jest.fn(async (request: { cursor?: string }) => {
      requests.push(request.cursor);
      const page = pages[requests.length - 1];
      return {
        ...page,
        totalCount: 3,
        facets: { domain: [], owner: [], lifecycle: [], type: [] },
        countsAreUpperBounds: true,
      };
    });
    renderInTestApp(<DataProductsPage />, {
      apis: [
        [dataProductsExplorerApiRef, { explore }],
        [entityPresentationApiRef, presentationOf(titled)],
        [dataProductsApiRef, mockDataProductsApi()],
        [dataProductsFreshnessApiRef, mockFreshnessApi()],
        [dataProductsColumnLineageApiRef, mockColumnLineageApi()],
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      await screen.findByText('up to 3 data products'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(productNames()).toEqual([
        'Marketing Customer 360',
        'Sales CRM Customers',
        'Sales ERP Orders',
      ]),
    );
    expect(requests).toEqual([undefined, 'a', 'b']);
  });

  it('searches on the server once the user stops typing, and says when nothing matches', async () => {
    const explorer = renderPage();
    await screen.findByText('3 data products');
    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: 'e' },
    });
    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: 'erp' },
    });
    await waitFor(() => expect(productNames()).toEqual(['Sales ERP Orders']));
    expect(screen.getByText('1 data product')).toBeInTheDocument();
    // One request for the settled text, not one per key.
    expect(explorer.requests.map(r => r.q)).toEqual([undefined, 'erp']);
    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: 'no such product' },
    });
    expect(
      await screen.findByText(
        'No data product matches the search and filters.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('No data products yet')).toBeNull();
  });

  it('filters on the server with the pickers the facets fill, by titles and counts', async () => {
    const explorer = renderPage();
    await screen.findByText('3 data products');
    const domain = screen.getByLabelText('Domain');
    expect(
      await within(domain).findByRole('option', { name: 'Sales domain (2)' }),
    ).toHaveValue('domain:default/sales');
    const owner = screen.getByLabelText('Owner');
    expect(
      within(owner).getByRole('option', { name: 'Marketing team (1)' }),
    ).toHaveValue('group:default/marketing');
    fireEvent.change(domain, { target: { value: 'domain:default/sales' } });
    await waitFor(() =>
      expect(productNames()).toEqual([
        'Sales CRM Customers',
        'Sales ERP Orders',
      ]),
    );
    expect(explorer.requests[1]).toEqual({
      domain: ['domain:default/sales'],
      sort: 'name',
      order: 'asc',
      limit: 50,
    });
    fireEvent.change(screen.getByLabelText('Lifecycle'), {
      target: { value: 'experimental' },
    });
    await waitFor(() => expect(productNames()).toEqual(['Sales ERP Orders']));
    expect(explorer.requests[2]).toMatchObject({
      domain: ['domain:default/sales'],
      lifecycle: ['experimental'],
    });
    // The Type picker offers only the types of the other filters' products.
    expect(
      within(screen.getByLabelText('Type'))
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['All', 'source-aligned (1)']);
    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: 'crm' },
    });
    expect(
      await screen.findByText(
        'No data product matches the search and filters.',
      ),
    ).toBeInTheDocument();
    expect(explorer.requests[explorer.requests.length - 1]).toMatchObject({
      q: 'crm',
      domain: ['domain:default/sales'],
      lifecycle: ['experimental'],
    });
  });

  it('sorts on the server by the header clicked, then the other way', async () => {
    const explorer = renderPage();
    await screen.findByText('3 data products');
    fireEvent.click(screen.getByRole('button', { name: 'Consumers' }));
    await waitFor(() =>
      expect(explorer.requests[1]).toMatchObject({
        sort: 'consumers',
        order: 'asc',
      }),
    );
    await waitFor(() =>
      expect(productNames()[0]).toBe('Marketing Customer 360'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Consumers' }));
    await waitFor(() =>
      expect(explorer.requests[2]).toMatchObject({
        sort: 'consumers',
        order: 'desc',
      }),
    );
    await waitFor(() =>
      expect(productNames()).toEqual([
        'Sales ERP Orders',
        'Sales CRM Customers',
        'Marketing Customer 360',
      ]),
    );
    expect(
      screen.getByRole('columnheader', { name: 'Consumers' }),
    ).toHaveAttribute('aria-sort', 'descending');
    // Ports, freshness and quality do not sort.
    expect(screen.queryByRole('button', { name: 'Output ports' })).toBeNull();
  });

  it('shows the way to a first product when the mesh has none', async () => {
    renderPage([]);
    expect(await screen.findByText('No data products yet')).toBeInTheDocument();
    expect(screen.queryByLabelText('Search')).toBeNull();
  });

  it('shows the chips of the loaded products only, from one request each per page', async () => {
    const freshnessApi = mockFreshnessApi({
      getFreshness: jest.fn(async () => ({
        products: [crmFreshness],
        ports: crmFreshness.ports,
      })),
    });
    const qualityApi: DataProductsQualityApi = {
      getPortQuality: jest.fn(),
      getQualitySummaries: jest.fn(async () => [
        {
          product: 'sales-crm-customers',
          port: 'customers',
          checkedAt: '2026-12-01T10:00:00.000Z',
          outcome: 'failed' as const,
          checks: 2,
          failedErrors: 1,
          failedWarnings: 0,
        },
        {
          product: 'marketing-customer-360',
          port: 'customer_activity',
          checkedAt: '2026-12-01T10:00:00.000Z',
          outcome: 'passed' as const,
          checks: 3,
          failedErrors: 0,
          failedWarnings: 0,
        },
      ]),
    };
    renderPage(demoProducts, { freshnessApi, qualityApi });
    const row = (title: string) =>
      screen.getByText(title).closest('[role=row]') as HTMLElement;
    expect(
      within(
        (await screen.findByLabelText('Freshness: fresh')).closest(
          '[role=row]',
        ) as HTMLElement,
      ).getByText('Sales CRM Customers'),
    ).toBeInTheDocument();
    expect(
      within(row('Sales ERP Orders')).queryByLabelText(/^Freshness:/),
    ).toBeNull();
    expect(
      within(row('Sales CRM Customers')).getByLabelText('Quality: failing'),
    ).toBeInTheDocument();
    expect(
      within(row('Marketing Customer 360')).getByLabelText(
        'Quality: checks pass',
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByLabelText(/^Quality:/)).toHaveLength(2);
    expect(freshnessApi.getFreshness).toHaveBeenCalledTimes(1);
    expect(freshnessApi.getFreshness).toHaveBeenCalledWith(
      demoProducts.map(p => p.ref),
    );
    expect(qualityApi.getQualitySummaries).toHaveBeenCalledWith(
      demoProducts.map(p => p.name),
    );
  });

  it('shows the mesh view of domains in its tab', async () => {
    const getMesh = jest.fn(async () => ({
      nodes: [
        {
          id: 'domain:default/sales',
          kind: 'domain' as const,
          title: 'sales',
          group: 'domain:default/sales',
          count: 2,
        },
      ],
      edges: [],
      expanded: [],
      limit: 300,
      truncated: false,
      omittedEdges: 0,
    }));
    renderPage(demoProducts, {
      meshApi: { getMesh, searchMesh: async () => ({ matches: [] }) },
    });
    fireEvent.click(await screen.findByText('Mesh lineage'));
    expect(await screen.findByText('2 products')).toBeInTheDocument();
    expect(getMesh).toHaveBeenCalledWith({ expand: [] });
  });
});
