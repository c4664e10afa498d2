import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityPresentationApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { DataProductsAccessApi } from '@dataproducts/plugin-data-products-common';
import { screen, within } from '@testing-library/react';
import { dataProductsAccessApiRef } from '../../api';
import { crmHistory, organisation } from '../../__testUtils__/accessFixtures';
import {
  allEntities,
  crmCustomers,
  crmCustomersPort,
} from '../../__testUtils__/fixtures';
import {
  mockAccessApi,
  mockDataProductsApi,
  presentationOf,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';
import { HistoryContent } from './HistoryContent';

const entities = [...allEntities, ...organisation];

function renderHistory(accessApi: DataProductsAccessApi) {
  return renderInTestApp(
    <EntityProvider entity={crmCustomers}>
      <HistoryContent />
    </EntityProvider>,
    {
      apis: [
        [dataProductsAccessApiRef, accessApi],
        [entityPresentationApiRef, presentationOf(entities)],
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

async function findHistory() {
  const title = await screen.findByRole(
    'heading',
    { name: 'History' },
    { timeout: 10000 },
  );
  return within(title.closest('.MuiPaper-root') as HTMLElement);
}

describe('HistoryContent', () => {
  it('lists every change to the product with what, who, when and how it went', async () => {
    const accessApi = mockAccessApi({
      getProductHistory: jest.fn(async () => crmHistory),
    });
    renderHistory(accessApi);
    const history = await findHistory();
    await history.findByText('access granted');
    // The newest change first.
    const rows = history
      .getAllByRole('row')
      .filter(row => row.closest('tbody'));
    expect(rows).toHaveLength(3);
    const grant = within(rows[0]);
    expect(grant.getByText('access granted')).toBeInTheDocument();
    expect(grant.getByText('Marketing Customer 360')).toBeInTheDocument();
    expect(grant.getByText('Ana Sales')).toBeInTheDocument();
    expect(grant.getByText('succeeded')).toBeInTheDocument();
    const refresh = within(rows[1]);
    expect(refresh.getByText('refreshed')).toBeInTheDocument();
    expect(refresh.getByText('failed')).toBeInTheDocument();
    expect(
      refresh.getByText('canceling statement due to statement timeout'),
    ).toBeInTheDocument();
    expect(within(rows[2]).getByText('provisioned')).toBeInTheDocument();
    expect(accessApi.getProductHistory).toHaveBeenCalledWith(
      'dataproduct:default/sales-crm-customers',
    );
  });

  it('says when nothing has happened yet', async () => {
    renderHistory(mockAccessApi());
    const history = await findHistory();
    expect(
      await history.findByText('Nothing has happened to this product yet.'),
    ).toBeInTheDocument();
  });

  it('says why the history cannot be shown', async () => {
    renderHistory(
      mockAccessApi({
        getProductHistory: jest.fn(async () => {
          throw new Error('The history is unavailable: connect ECONNREFUSED');
        }),
      }),
    );
    expect(
      await screen.findByText(
        'The history is unavailable: connect ECONNREFUSED',
        { selector: 'p' },
        { timeout: 10000 },
      ),
    ).toBeInTheDocument();
  });

  it('is not a tab of output ports', async () => {
    const accessApi = mockAccessApi();
    renderEntityPage(crmCustomersPort, mockDataProductsApi(), entities, {
      accessApi,
    });
    // A port's only tab is its lineage, rendered in place.
    expect(
      await screen.findByText('Upstream', {}, { timeout: 10000 }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'History' })).toBeNull();
    expect(accessApi.getProductHistory).not.toHaveBeenCalled();
  });
});
