import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  crmCustomers,
  crmCustomersPort,
  erpOrdersPort,
} from '../../__testUtils__/fixtures';
import {
  crmFreshness,
  failingCustomers,
  freshCustomers,
  mockFreshnessApi,
} from '../../__testUtils__/freshnessFixtures';
import {
  mockDataProductsApi,
  permissionsAllowing,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';

/** The Freshness card; the first render of the suite compiles the lazily loaded cards, which takes long on a busy machine. */
async function findCard(title: string) {
  const heading = await screen.findByText(
    title,
    { selector: '.MuiCardHeader-title, .MuiCardHeader-title *' },
    { timeout: 60000 },
  );
  return within(heading.closest('.MuiCard-root') as HTMLElement);
}

describe('FreshnessCard', () => {
  jest.setTimeout(120_000);

  it("shows a port's freshness, its recent refreshes and Refresh now, and the new state after a refresh", async () => {
    // The port is failing until it is refreshed (the Preview card on the
    // same page reads the port's freshness too, so not "the first call").
    let refreshed = false;
    const freshnessApi = mockFreshnessApi({
      getPortFreshness: jest.fn(async () =>
        refreshed ? freshCustomers : failingCustomers,
      ),
      refreshPort: jest.fn(async () => {
        refreshed = true;
        return {
          run: { ...freshCustomers.runs![0], trigger: 'manual' as const },
          freshness: freshCustomers,
        };
      }),
    });
    renderEntityPage(crmCustomersPort, mockDataProductsApi(), undefined, {
      freshnessApi,
    });
    const card = await findCard('Freshness');
    expect(
      await card.findByLabelText('Freshness: failing'),
    ).toBeInTheDocument();
    expect(
      card.getByText('The last 2 refreshes failed; last built 3 h ago'),
    ).toBeInTheDocument();
    expect(card.getByText('PT24H')).toBeInTheDocument();
    expect(card.getByText('every PT1H')).toBeInTheDocument();
    expect(card.getByText('Recent refreshes')).toBeInTheDocument();

    fireEvent.click(
      await card.findByRole('button', { name: 'Refresh customers now' }),
    );
    expect(
      await card.findByLabelText('Freshness: fresh', undefined, {
        timeout: 10000,
      }),
    ).toBeInTheDocument();
    expect(freshnessApi.refreshPort).toHaveBeenCalledWith(
      'outputport:default/sales-crm-customers-customers',
    );
  });

  it('offers no Refresh now to those the policy does not allow to refresh', async () => {
    const permissionApi = permissionsAllowing([]);
    renderEntityPage(crmCustomersPort, mockDataProductsApi(), undefined, {
      freshnessApi: mockFreshnessApi({
        getPortFreshness: jest.fn(async () => freshCustomers),
      }),
      permissionApi,
    });
    const card = await findCard('Freshness');
    expect(await card.findByLabelText('Freshness: fresh')).toBeInTheDocument();
    // the page's other cards ask their own permissions first: on a loaded
    // machine the card's own question comes later than waitFor's default second
    await waitFor(
      () =>
        expect(permissionApi.authorize).toHaveBeenCalledWith(
          expect.objectContaining({
            permission: expect.objectContaining({
              name: 'dataproduct.refresh',
            }),
            resourceRef: 'dataproduct:default/sales-crm-customers',
          }),
        ),
      { timeout: 15_000 },
    );
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(card.queryByRole('button', { name: /Refresh .* now/ })).toBeNull();
  }, 30_000);

  it("shows a product's freshness: the worst of its ports, each with its own", async () => {
    renderEntityPage(crmCustomers, mockDataProductsApi(), undefined, {
      freshnessApi: mockFreshnessApi({
        getProductFreshness: jest.fn(async () => crmFreshness),
      }),
    });
    const card = await findCard('Freshness');
    expect(
      await card.findByText('The worst freshness of its output ports.'),
    ).toBeInTheDocument();
    expect(card.getAllByLabelText('Freshness: fresh')).toHaveLength(2);
    expect(card.getByText('customers')).toBeInTheDocument();
  });

  it('says a view is live and offers no refresh for it', async () => {
    renderEntityPage(erpOrdersPort, mockDataProductsApi(), undefined, {
      freshnessApi: mockFreshnessApi({
        getPortFreshness: jest.fn(async () => ({
          port: 'outputport:default/sales-erp-orders-orders',
          product: 'dataproduct:default/sales-erp-orders',
          name: 'orders',
          type: 'postgres-view' as const,
          state: 'fresh' as const,
          reason: 'A live view of operational tables',
          consecutiveFailures: 0,
          inputs: [],
          runs: [],
        })),
      }),
    });
    const card = await findCard('Freshness');
    expect(
      await card.findByText('A live view of operational tables'),
    ).toBeInTheDocument();
    expect(card.getByText('none: a live view')).toBeInTheDocument();
    expect(card.queryByRole('button', { name: /Refresh .* now/ })).toBeNull();
  });
});
