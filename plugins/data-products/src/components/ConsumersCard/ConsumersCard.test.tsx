import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { screen } from '@testing-library/react';
import {
  crmCustomers,
  crmCustomersPort,
  marketing360,
} from '../../__testUtils__/fixtures';
import {
  findCard,
  mockDataProductsApi,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';

const component = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web', namespace: DEFAULT_NAMESPACE },
  spec: { type: 'website', owner: 'group:sales', lifecycle: 'production' },
};

describe('ConsumersCard', () => {
  it('lists the products reading a product’s ports and which port they read', async () => {
    renderEntityPage(crmCustomers);
    const card = await findCard('Consumers (1)');
    expect(await card.findByText('Marketing Customer 360')).toBeInTheDocument();
    expect(card.getByText('customers')).toBeInTheDocument();
    expect(card.getByText('marketing')).toBeInTheDocument();
  });

  it('lists the consumers of one output port', async () => {
    renderEntityPage(crmCustomersPort);
    const card = await findCard('Consumers (1)');
    expect(await card.findByText('Marketing Customer 360')).toBeInTheDocument();
  });

  it('says when nothing reads the product yet', async () => {
    renderEntityPage(marketing360);
    const card = await findCard('Consumers (0)');
    expect(
      await card.findByText('No data product reads this yet.'),
    ).toBeInTheDocument();
  });

  it('renders none of the plugin’s cards for another kind', async () => {
    const api = mockDataProductsApi();
    renderEntityPage(component, api);
    expect(
      await screen.findByTestId('empty-entity-page', {}, { timeout: 10000 }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Consumers/)).toBeNull();
    expect(screen.queryByText('Output ports')).toBeNull();
    expect(screen.queryByText('Lineage')).toBeNull();
    expect(api.getLineage).not.toHaveBeenCalled();
  });
});
