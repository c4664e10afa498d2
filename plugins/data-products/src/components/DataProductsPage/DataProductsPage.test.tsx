import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { fireEvent, screen, within } from '@testing-library/react';
import { dataProductsApiRef, dataProductsFreshnessApiRef } from '../../api';
import { allEntities, marketingLineage } from '../../__testUtils__/fixtures';
import { dataProductsColumnLineageApiRef } from '../../api/DataProductsColumnLineageApi';
import {
  mockColumnLineageApi,
  mockDataProductsApi,
} from '../../__testUtils__/renderEntityPage';
import { mockFreshnessApi } from '../../__testUtils__/freshnessFixtures';
import { DataProductsPage } from './DataProductsPage';

function renderPage(
  api = mockDataProductsApi(),
  freshnessApi = mockFreshnessApi(),
) {
  return renderInTestApp(<DataProductsPage />, {
    apis: [
      catalogApiMock({ entities: allEntities }),
      [dataProductsApiRef, api],
      [dataProductsFreshnessApiRef, freshnessApi],
      [dataProductsColumnLineageApiRef, mockColumnLineageApi()],
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

function productNames() {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent);
}

describe('DataProductsPage', () => {
  it('lists every product with its ports and consumer count', async () => {
    renderPage();
    expect(await screen.findByText('Data products (3)')).toBeInTheDocument();
    expect(productNames()).toEqual([
      'Marketing Customer 360',
      'Sales CRM Customers',
      'Sales ERP Orders',
    ]);
    const crm = screen.getByText('Sales CRM Customers').closest('tr')!;
    expect(within(crm).getByText('customers')).toBeInTheDocument();
    expect(within(crm).getByText('1')).toBeInTheDocument();
    const erp = screen.getByText('Sales ERP Orders').closest('tr')!;
    expect(within(erp).getByText(/view/)).toBeInTheDocument();
  });

  it('filters by domain, type and text', async () => {
    renderPage();
    await screen.findByText('Data products (3)');
    fireEvent.change(screen.getByLabelText('Domain'), {
      target: { value: 'sales' },
    });
    expect(screen.getByText('Data products (2)')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: 'erp' },
    });
    expect(productNames()).toEqual(['Sales ERP Orders']);
    fireEvent.change(screen.getByLabelText('Domain'), {
      target: { value: 'marketing' },
    });
    expect(screen.getByText('No data product matches.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: '' },
    });
    fireEvent.change(screen.getByLabelText('Type'), {
      target: { value: 'consumer-aligned' },
    });
    expect(productNames()).toEqual(['Marketing Customer 360']);
  });

  it('shows the mesh-wide lineage', async () => {
    const api = mockDataProductsApi({
      getLineage: jest.fn(async () => marketingLineage),
    });
    renderPage(api);
    fireEvent.click(await screen.findByText('Mesh lineage'));
    expect(
      await screen.findByText('sources.crm_customers'),
    ).toBeInTheDocument();
    expect(api.getLineage).toHaveBeenCalledWith({});
  });
});
