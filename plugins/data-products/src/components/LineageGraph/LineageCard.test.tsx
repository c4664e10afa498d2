import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { screen } from '@testing-library/react';
import {
  crmCustomersPort,
  crmCustomersResource,
  marketing360,
  marketingLineage,
} from '../../__testUtils__/fixtures';
import {
  findCard,
  mockDataProductsApi,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';
import { layoutLineage } from './layoutLineage';

describe('LineageCard', () => {
  it('draws the graph from the source table to the product', async () => {
    const api = mockDataProductsApi({
      getLineage: jest.fn(async () => marketingLineage),
    });
    renderEntityPage(marketing360, api);
    const card = await findCard('Lineage');
    expect(await card.findByText('sources.crm_customers')).toBeInTheDocument();
    expect(card.getByText('Sales CRM Customers')).toBeInTheDocument();
    expect(card.getByText('output port · table')).toBeInTheDocument();
    expect(card.getAllByTestId('lineage-node')).toHaveLength(4);
    expect(api.getLineage).toHaveBeenCalledWith({
      entityRef: 'dataproduct:default/marketing-customer-360',
      upstream: 10,
      downstream: 10,
    });
  });

  it('shows the error when lineage cannot be loaded', async () => {
    renderEntityPage(
      crmCustomersPort,
      mockDataProductsApi({
        getLineage: async () => {
          throw new Error('catalog timed out');
        },
      }),
    );
    const card = await findCard('Lineage');
    expect(
      (await card.findAllByText(/catalog timed out/)).length,
    ).toBeGreaterThan(0);
  });
});

describe('LineageCard on other kinds', () => {
  it('shows on the page of a source table a product reads', async () => {
    renderEntityPage(
      crmCustomersResource,
      mockDataProductsApi({ getLineage: async () => marketingLineage }),
    );
    const card = await findCard('Lineage');
    expect(await card.findByText('Marketing Customer 360')).toBeInTheDocument();
  });

  it('does not show on a resource no product reads', async () => {
    const api = mockDataProductsApi();
    renderEntityPage({ ...crmCustomersResource, relations: [] }, api);
    expect(
      await screen.findByTestId('empty-entity-page', {}, { timeout: 10000 }),
    ).toBeInTheDocument();
    expect(api.getLineage).not.toHaveBeenCalled();
  });
});

describe('layoutLineage', () => {
  it('places sources left of their consumers and lays out 250 nodes', async () => {
    const positions = await layoutLineage(marketingLineage);
    const x = Object.fromEntries(positions.map(p => [p.node.id, p.x]));
    expect(x['resource:default/crm-customers']).toBeLessThan(
      x['dataproduct:default/sales-crm-customers'],
    );
    expect(x['outputport:default/sales-crm-customers-customers']).toBeLessThan(
      x['dataproduct:default/marketing-customer-360'],
    );

    const nodes = Array.from({ length: 250 }, (_, i) => ({
      id: `dataproduct:default/p${i}`,
      kind: 'DataProduct',
      namespace: DEFAULT_NAMESPACE,
      name: `p${i}`,
      distance: 0,
    }));
    const edges = nodes.slice(1).map((n, i) => ({
      source: nodes[Math.floor(i / 3)].id,
      target: n.id,
      type: 'feeds' as const,
    }));
    const big = await layoutLineage({ nodes, edges, truncated: false });
    expect(big).toHaveLength(250);
    const spots = new Set(
      big.map(p => `${Math.round(p.x)},${Math.round(p.y)}`),
    );
    expect(spots.size).toBe(250);
  });
});
