import { screen, waitFor } from '@testing-library/react';
import {
  crmCustomersPort,
  marketing360,
  provisionedStatus,
  unprovisionedStatus,
} from '../../__testUtils__/fixtures';
import {
  findCard,
  mockDataProductsApi,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';

describe('OutputPortsCard', () => {
  it('shows each port with its type, access, location, live status and row count', async () => {
    renderEntityPage(
      marketing360,
      mockDataProductsApi({ getProductStatus: async () => provisionedStatus }),
    );
    const card = await findCard('Output ports');
    expect(await card.findByText('1,234')).toBeInTheDocument();
    expect(card.getByText('customer_activity')).toBeInTheDocument();
    expect(
      card.getByText('marketing_360.customer_activity'),
    ).toBeInTheDocument();
    expect(card.getByText('table')).toBeInTheDocument();
    expect(card.getByText('restricted')).toBeInTheDocument();
    expect(card.getByText('provisioned')).toBeInTheDocument();
    // Five columns, so that Rows and Last built fit a card at 1,400 px.
    expect(
      card.getAllByRole('columnheader').map(header => header.textContent),
    ).toEqual(['Port', 'Type', 'Status', 'Rows', 'Last built']);
  });

  it('says when the product is not provisioned yet', async () => {
    renderEntityPage(
      marketing360,
      mockDataProductsApi({
        getProductStatus: async () => unprovisionedStatus,
      }),
    );
    const card = await findCard('Output ports');
    expect(await card.findByText(/Not provisioned yet/)).toBeInTheDocument();
    expect(card.getByText('not provisioned')).toBeInTheDocument();
    expect(card.getByText('customer_activity')).toBeInTheDocument();
  });

  it('keeps listing the ports when the warehouse is unreachable', async () => {
    renderEntityPage(
      marketing360,
      mockDataProductsApi({
        getProductStatus: async () => {
          throw new Error(
            'The warehouse is unreachable: connect ECONNREFUSED 127.0.0.1:1',
          );
        },
      }),
    );
    const card = await findCard('Output ports');
    expect(
      await card.findByText(/Live warehouse status unavailable/),
    ).toBeInTheDocument();
    expect(card.getByText(/connect ECONNREFUSED/)).toBeInTheDocument();
    expect(card.getByText('customer_activity')).toBeInTheDocument();
    expect(card.getByText('unknown')).toBeInTheDocument();
  });

  it('does not render on an output port page', async () => {
    const api = mockDataProductsApi();
    renderEntityPage(crmCustomersPort, api);
    expect(await findCard(/^Consumers/)).toBeDefined();
    await waitFor(() => expect(screen.queryByText('Output ports')).toBeNull());
    expect(api.getProductStatus).not.toHaveBeenCalled();
  });
});
