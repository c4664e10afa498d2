import { screen, waitFor } from '@testing-library/react';
import {
  allEntities,
  crmCustomers,
  crmCustomersPort,
  marketing360,
} from '../../__testUtils__/fixtures';
import {
  findCard,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';

describe('InputsCard', () => {
  it('lists the ports a product reads with their products and owners', async () => {
    renderEntityPage(marketing360);
    const card = await findCard('Inputs (2)');
    expect(await card.findByText('customers')).toBeInTheDocument();
    expect(card.getByText('orders')).toBeInTheDocument();
    expect(card.getAllByText('output port')).toHaveLength(2);
    expect(card.getByText('Sales CRM Customers')).toBeInTheDocument();
    expect(card.getByText('Sales ERP Orders')).toBeInTheDocument();
    expect(card.getAllByText('sales')).toHaveLength(2);
  });

  it('lists the source table of a source-aligned product', async () => {
    renderEntityPage(crmCustomers);
    const card = await findCard('Inputs (1)');
    expect(await card.findByText('sources.crm_customers')).toBeInTheDocument();
    expect(card.getByText('resource')).toBeInTheDocument();
  });

  it('says when a product declares no inputs', async () => {
    renderEntityPage({
      ...crmCustomers,
      relations: crmCustomers.relations!.filter(r => r.type !== 'dependsOn'),
    });
    const card = await findCard('Inputs (0)');
    expect(
      await card.findByText('This data product declares no inputs.'),
    ).toBeInTheDocument();
  });

  it('does not render on an output port page', async () => {
    renderEntityPage(crmCustomersPort, undefined, allEntities);
    expect(await findCard(/^Consumers/)).toBeDefined();
    await waitFor(() => expect(screen.queryByText(/^Inputs/)).toBeNull());
  });
});
