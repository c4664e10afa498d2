import { screen, waitFor } from '@testing-library/react';
import {
  customerActivity,
  marketing360,
  provisionedStatus,
  unprovisionedStatus,
} from '../../__testUtils__/fixtures';
import {
  findCard,
  mockDataProductsApi,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';

describe('OutputPortSchemaCard', () => {
  it('shows the 8 declared columns with descriptions beside the warehouse types', async () => {
    renderEntityPage(
      customerActivity,
      mockDataProductsApi({
        getPortStatus: async () => provisionedStatus.ports[0],
      }),
    );
    const card = await findCard('Schema');
    expect(await card.findByText('decimal(10,2)')).toBeInTheDocument();
    for (const name of [
      'customer_id',
      'customer_name',
      'customer_email',
      'account_age_days',
      'order_id',
      'order_total',
      'days_from_order_to_ship',
      'delivery_status',
    ]) {
      expect(card.getByText(name)).toBeInTheDocument();
    }
    expect(
      card.getByText("The customer's full name (first and last)."),
    ).toBeInTheDocument();
    expect(card.getByText('required')).toBeInTheDocument();
    expect(card.queryByText(/differs from the contract/)).toBeNull();
    expect(
      card.getByText(/^marketing_360\.customer_activity · 1,234 rows · built /),
    ).toBeInTheDocument();
  });

  it('highlights drift column by column', async () => {
    const port = provisionedStatus.ports[0];
    renderEntityPage(
      customerActivity,
      mockDataProductsApi({
        getPortStatus: async () => ({
          ...port,
          columns: [
            ...port.columns.filter(
              c => c.name !== 'customer_email' && c.name !== 'order_total',
            ),
            { name: 'order_total', type: 'integer', nullable: true },
            {
              name: 'first_name',
              type: 'character varying(50)',
              nullable: true,
            },
          ],
          drift: [
            {
              column: 'customer_email',
              kind: 'missing',
              expected: 'varchar(100)',
            },
            {
              column: 'order_total',
              kind: 'type',
              expected: 'numeric(10,2)',
              actual: 'integer',
            },
            {
              column: 'first_name',
              kind: 'extra',
              actual: 'character varying(50)',
            },
          ],
        }),
      }),
    );
    const card = await findCard('Schema');
    expect(
      await card.findByText(/differs from the contract in 3 column/),
    ).toBeInTheDocument();
    expect(card.getByText('missing in the warehouse')).toBeInTheDocument();
    expect(
      card.getByText('type integer, declared numeric(10,2)'),
    ).toBeInTheDocument();
    expect(card.getByText('not in the contract')).toBeInTheDocument();
    expect(card.getByText('first_name')).toBeInTheDocument();
  });

  it('shows the contract when the port is not provisioned or the warehouse is unreachable', async () => {
    renderEntityPage(
      customerActivity,
      mockDataProductsApi({
        getPortStatus: async () => unprovisionedStatus.ports[0],
      }),
    );
    const card = await findCard('Schema');
    expect(await card.findByText(/Not provisioned yet/)).toBeInTheDocument();
    expect(card.getByText('customer_name')).toBeInTheDocument();
  });

  it('shows the warehouse error and still the declared columns', async () => {
    renderEntityPage(
      customerActivity,
      mockDataProductsApi({
        getPortStatus: async () => {
          throw new Error(
            'The warehouse is unreachable: password authentication failed',
          );
        },
      }),
    );
    const card = await findCard('Schema');
    expect(
      await card.findByText(/password authentication failed/),
    ).toBeInTheDocument();
    expect(card.getByText('delivery_status')).toBeInTheDocument();
  });

  it('does not render on a data product page', async () => {
    const api = mockDataProductsApi();
    renderEntityPage(marketing360, api);
    expect(await screen.findByText('Output ports')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('Schema')).toBeNull());
    expect(api.getPortStatus).not.toHaveBeenCalled();
  });
});
