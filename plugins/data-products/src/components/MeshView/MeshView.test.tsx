import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type {
  MeshGraph,
  MeshGraphRequest,
  MeshSearchResult,
} from '@dataproducts/plugin-data-products-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  type DataProductsMeshApi,
  dataProductsMeshApiRef,
} from '../../api/DataProductsMeshApi';
import { MeshView } from './MeshView';

const SALES = 'domain:default/sales';
const MARKETING = 'domain:default/marketing';
const CRM = 'dataproduct:default/sales-crm-customers';
const ORDERS = 'dataproduct:default/sales-erp-orders';

const domains: MeshGraph = {
  nodes: [
    {
      id: 'mesh:sources',
      kind: 'sources',
      title: 'Sources',
      group: 'mesh:sources',
      count: 3,
    },
    {
      id: SALES,
      kind: 'domain',
      title: 'sales',
      group: SALES,
      count: 2,
      internalFlows: 1,
    },
    {
      id: MARKETING,
      kind: 'domain',
      title: 'marketing',
      group: MARKETING,
      count: 1,
    },
  ],
  edges: [
    { source: 'mesh:sources', target: SALES, flows: 2 },
    { source: SALES, target: MARKETING, flows: 7 },
  ],
  expanded: [],
  limit: 300,
  truncated: false,
  omittedEdges: 0,
};

const product = (id: string, title: string, extra = {}) => ({
  id,
  kind: 'product' as const,
  title,
  group: SALES,
  namespace: 'default',
  name: id.split('/')[1],
  type: 'source-aligned',
  ...extra,
});

const salesOpen: MeshGraph = {
  nodes: [
    domains.nodes[0],
    domains.nodes[2],
    product(CRM, 'Sales CRM Customers'),
    product(ORDERS, 'Sales ERP Orders'),
  ],
  edges: [
    { source: 'mesh:sources', target: CRM, flows: 1 },
    { source: CRM, target: MARKETING, flows: 4 },
  ],
  expanded: [SALES],
  limit: 300,
  truncated: false,
  omittedEdges: 0,
};

const focused = (depth: number): MeshGraph => ({
  nodes: [
    product(CRM, 'Sales CRM Customers', { distance: 0 }),
    domains.nodes[2],
  ],
  edges: [{ source: CRM, target: MARKETING, flows: depth }],
  expanded: [SALES],
  focus: CRM,
  depth,
  limit: 300,
  truncated: depth > 3,
  omittedEdges: depth > 3 ? 12 : 0,
});

function fakeMeshApi() {
  return {
    getMesh: jest.fn(async (request: MeshGraphRequest = {}) => {
      if (request.focus) return focused(request.depth ?? 2);
      return request.expand?.includes(SALES) ? salesOpen : domains;
    }),
    searchMesh: jest.fn(
      async (): Promise<MeshSearchResult> => ({
        matches: [
          { id: SALES, kind: 'domain', title: 'sales', group: SALES, count: 2 },
          {
            id: ORDERS,
            kind: 'product',
            title: 'Sales ERP Orders',
            group: SALES,
          },
        ],
      }),
    ),
  } satisfies DataProductsMeshApi;
}

async function renderView(api = fakeMeshApi()) {
  await renderInTestApp(
    <TestApiProvider apis={[[dataProductsMeshApiRef, api]]}>
      <MeshView height={600} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

const node = (id: string) =>
  document.querySelector(
    `[data-testid="mesh-node"][data-id="${id}"]`,
  ) as HTMLElement;

async function findNode(id: string) {
  await waitFor(() => expect(node(id)).toBeTruthy());
  return node(id);
}

describe('MeshView', () => {
  it('draws one node per domain with its product count, and a legend', async () => {
    const api = await renderView();
    expect(await screen.findByTestId('mesh-view-ready')).toHaveTextContent(
      '3 groups · 0 products and sources · 9 data flows',
    );
    const sales = await findNode(SALES);
    expect(sales).toHaveTextContent('sales');
    expect(sales).toHaveTextContent('2 products');
    expect(sales).toHaveTextContent('1 flow inside');
    expect(node('mesh:sources')).toHaveTextContent('3 source tables');
    expect(screen.getByTestId('mesh-legend')).toHaveTextContent('Domain');
    expect(api.getMesh).toHaveBeenCalledWith({ expand: [] });
  });

  it("draws each domain's strongest flows when the overview has many, and all of them on request", async () => {
    // Twelve domains, each reading every one before it: 66 connections.
    const ids = Array.from({ length: 12 }, (_, i) => `domain:default/d${i}`);
    const dense: MeshGraph = {
      ...domains,
      nodes: ids.map((id, i) => ({
        id,
        kind: 'domain' as const,
        title: `d${i}`,
        group: id,
        count: 3,
      })),
      edges: ids.flatMap((target, t) =>
        ids.slice(0, t).map((source, s) => ({ source, target, flows: s + t })),
      ),
    };
    const api = fakeMeshApi();
    api.getMesh.mockResolvedValue(dense);
    await renderView(api);
    const notice = await screen.findByTestId('mesh-flows');
    expect(notice).toHaveTextContent(
      "Each domain's 2 strongest flows in and out:",
    );
    const drawn = Number(
      /: (\d+) of 66 connections drawn/.exec(notice.textContent ?? '')?.[1],
    );
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThanOrEqual(12 * 2 * 2);
    fireEvent.click(
      within(notice).getByRole('button', { name: 'Show all flows' }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('mesh-flows')).toHaveTextContent(
        'All 66 connections drawn.',
      ),
    );
    // The same graph, drawn again: no new request.
    expect(api.getMesh).toHaveBeenCalledTimes(1);
    fireEvent.click(
      within(screen.getByTestId('mesh-flows')).getByRole('button', {
        name: 'Strongest flows only',
      }),
    );
    expect(
      await screen.findByText(/of 66 connections drawn/),
    ).toBeInTheDocument();
  });

  it('draws every flow of a small overview, with no note about it', async () => {
    await renderView();
    await screen.findByTestId('mesh-view-ready');
    expect(screen.queryByTestId('mesh-flows')).toBeNull();
  });

  it('opens a domain into its products on click, each with a link to its page', async () => {
    const api = await renderView();
    fireEvent.click(await findNode(SALES));
    const crm = await findNode(CRM);
    expect(api.getMesh).toHaveBeenLastCalledWith({ expand: [SALES] });
    expect(crm).toHaveTextContent('Sales CRM Customers');
    expect(within(crm).getByTestId('mesh-node-page')).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/sales-crm-customers',
    );
    expect(screen.getByTestId('mesh-expanded')).toHaveTextContent(
      'Open: sales',
    );
  });

  it('focuses on a product on click, with a depth from 1 to 6, and resets', async () => {
    const api = await renderView();
    fireEvent.click(await findNode(SALES));
    fireEvent.click(await findNode(CRM));
    await waitFor(() =>
      expect(api.getMesh).toHaveBeenLastCalledWith({
        expand: [SALES],
        focus: CRM,
        depth: 2,
      }),
    );
    expect(await screen.findByTestId('mesh-focus')).toHaveTextContent(
      'Focus: Sales CRM Customers',
    );
    fireEvent.mouseDown(screen.getByTestId('mesh-depth'));
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      '1 hop',
      '2 hops',
      '3 hops',
      '4 hops',
      '5 hops',
      '6 hops',
    ]);
    fireEvent.click(screen.getByRole('option', { name: '5 hops' }));
    await waitFor(() =>
      expect(api.getMesh).toHaveBeenLastCalledWith({
        expand: [SALES],
        focus: CRM,
        depth: 5,
      }),
    );
    expect(await screen.findByTestId('mesh-truncated')).toHaveTextContent(
      '12 weaker connections are not drawn',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    await waitFor(() =>
      expect(api.getMesh).toHaveBeenLastCalledWith({ expand: [] }),
    );
    expect(screen.queryByTestId('mesh-focus')).not.toBeInTheDocument();
  });

  it('finds a product with the search box and focuses on it', async () => {
    const api = await renderView();
    await findNode(SALES);
    fireEvent.change(screen.getByTestId('mesh-search'), {
      target: { value: 'orders' },
    });
    await waitFor(() => expect(api.searchMesh).toHaveBeenCalledWith('orders'));
    const options = await screen.findAllByTestId('mesh-search-option');
    expect(options[0]).toHaveTextContent('domain · 2 products');
    fireEvent.click(options[1]);
    await waitFor(() =>
      expect(api.getMesh).toHaveBeenLastCalledWith({
        expand: [SALES],
        focus: ORDERS,
        depth: 2,
      }),
    );
  });

  it('shows the error when the mesh cannot be loaded', async () => {
    const api = fakeMeshApi();
    api.getMesh.mockRejectedValue(new Error('index unavailable'));
    await renderView(api);
    expect(
      (await screen.findAllByText(/index unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
