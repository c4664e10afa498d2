import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import {
  allEntities,
  crmCustomers,
  marketing360,
} from '../../__testUtils__/fixtures';
import { renderEntityPage } from '../../__testUtils__/renderEntityPage';
import { ModelContent } from './ModelContent';

describe('ModelContent', () => {
  it('links each source() reference to the input port it reads', async () => {
    renderInTestApp(
      <EntityProvider entity={marketing360}>
        <ModelContent />
      </EntityProvider>,
      {
        apis: [catalogApiMock({ entities: allEntities })],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    const link = await screen.findByText(
      "{{ source('sales_crm_customers', 'customers') }}",
    );
    expect(link.closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/outputport/sales-crm-customers-customers',
    );
    expect(
      screen
        .getByText("{{ source('sales_erp_orders', 'orders') }}")
        .closest('a'),
    ).toHaveAttribute(
      'href',
      '/catalog/default/outputport/sales-erp-orders-orders',
    );
    const undeclared = screen.getByText(
      "{{ source('logistics_wms_shipments', 'shipments') }}",
    );
    expect(undeclared.closest('a')).toBeNull();
    expect(
      screen.getByText('marketing_360.customer_activity'),
    ).toBeInTheDocument();
  });

  it('says when no port is built from a model', async () => {
    renderInTestApp(
      <EntityProvider entity={crmCustomers}>
        <ModelContent />
      </EntityProvider>,
      {
        apis: [catalogApiMock({ entities: allEntities })],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText(
        'No output port of this data product is built from model SQL.',
      ),
    ).toBeInTheDocument();
  });

  it('has no Model tab on a source-aligned product', async () => {
    renderEntityPage(crmCustomers);
    expect(
      await screen.findByText(/^Inputs/, {}, { timeout: 10000 }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Model')).toBeNull();
  });
});
