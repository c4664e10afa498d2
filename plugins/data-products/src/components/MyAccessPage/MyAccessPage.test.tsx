import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  entityPresentationApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { DataProductsAccessApi } from '@dataproducts/plugin-data-products-common';
import { screen, within } from '@testing-library/react';
import { dataProductsAccessApiRef } from '../../api';
import {
  grantedRequest,
  organisation,
  pendingRequest,
} from '../../__testUtils__/accessFixtures';
import { allEntities } from '../../__testUtils__/fixtures';
import {
  mockAccessApi,
  presentationOf,
} from '../../__testUtils__/renderEntityPage';
import { MyAccessPage } from './MyAccessPage';

const deniedRequest = {
  ...pendingRequest,
  id: 'req-denied',
  consumer: 'group:default/marketing',
  requester: 'user:default/mark.marketing',
  purpose: 'Churn analysis',
  status: 'denied' as const,
  decidedBy: 'user:default/ana.sales',
  decisionNote: 'Use the anonymised port instead',
};

function renderPage(accessApi: DataProductsAccessApi) {
  return renderInTestApp(<MyAccessPage />, {
    apis: [
      [dataProductsAccessApiRef, accessApi],
      [
        entityPresentationApiRef,
        presentationOf([...allEntities, ...organisation]),
      ],
      mockApis.identity({ userEntityRef: 'user:default/mark.marketing' }),
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

const tableTitled = async (title: RegExp) =>
  within(
    (await screen.findByRole('heading', { name: title })).closest(
      '.MuiPaper-root',
    ) as HTMLElement,
  );

describe('MyAccessPage', () => {
  it('lists my requests with their status and what I can read', async () => {
    renderPage(
      mockAccessApi({
        getMyAccess: jest.fn(async () => ({
          requests: [
            { ...grantedRequest, requester: 'user:default/mark.marketing' },
            deniedRequest,
          ],
          readable: [
            {
              port: 'outputport:default/sales-crm-customers-customers',
              via: 'dataproduct:default/marketing-customer-360',
            },
          ],
        })),
      }),
    );
    const requests = await tableTitled(/^My requests \(2\)$/);
    const granted = within(
      requests.getByText(grantedRequest.purpose).closest('tr')!,
    );
    expect(granted.getByText('granted')).toBeInTheDocument();
    expect(granted.getByText('Sales CRM Customers')).toBeInTheDocument();
    expect(granted.getByText('Ana Sales')).toBeInTheDocument();
    const denied = within(requests.getByText('Churn analysis').closest('tr')!);
    expect(denied.getByText('denied')).toBeInTheDocument();
    expect(denied.getByText('Marketing')).toBeInTheDocument();
    expect(
      denied.getByText('Use the anonymised port instead'),
    ).toBeInTheDocument();

    const readable = await tableTitled(/^What I can read \(1\)$/);
    expect(readable.getByText('customers')).toBeInTheDocument();
    expect(readable.getByText('Marketing Customer 360')).toBeInTheDocument();
  });

  it('says when I have asked for nothing and can read nothing', async () => {
    renderPage(mockAccessApi());
    expect(
      await screen.findByText(
        'You have not asked for access yet: use Request access on a data product or output port page.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Neither your groups nor their data products can read any output port yet.',
      ),
    ).toBeInTheDocument();
  });

  it('says why my access cannot be shown', async () => {
    renderPage(
      mockAccessApi({
        getMyAccess: jest.fn(async () => {
          throw new Error('The access service is unavailable');
        }),
      }),
    );
    expect(
      await screen.findByText('The access service is unavailable', {
        selector: 'p',
      }),
    ).toBeInTheDocument();
  });
});
