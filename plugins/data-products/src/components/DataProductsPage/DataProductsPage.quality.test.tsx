import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  entityPresentationApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import {
  dataProductsApiRef,
  type DataProductsFreshnessApi,
  dataProductsFreshnessApiRef,
} from '../../api';
import {
  type DataProductsQualityApi,
  dataProductsQualityApiRef,
} from '../../api/DataProductsQualityApi';
import { allEntities } from '../../__testUtils__/fixtures';
import {
  mockDataProductsApi,
  presentationOf,
} from '../../__testUtils__/renderEntityPage';
import { DataProductsPage } from './DataProductsPage';

const noFreshness = {
  getFreshness: jest.fn(async () => ({ products: [], ports: [] })),
} as unknown as DataProductsFreshnessApi;

describe('DataProductsPage quality chips', () => {
  it("shows each product's worst latest check outcome from one request", async () => {
    const qualityApi: DataProductsQualityApi = {
      getPortQuality: jest.fn(),
      getQualitySummaries: jest.fn(async () => [
        {
          product: 'sales-crm-customers',
          port: 'customers',
          checkedAt: '2026-12-01T10:00:00.000Z',
          outcome: 'failed' as const,
          checks: 2,
          failedErrors: 1,
          failedWarnings: 0,
        },
        {
          product: 'marketing-customer-360',
          port: 'customer_activity',
          checkedAt: '2026-12-01T10:00:00.000Z',
          outcome: 'passed' as const,
          checks: 3,
          failedErrors: 0,
          failedWarnings: 0,
        },
      ]),
    };
    renderInTestApp(<DataProductsPage />, {
      apis: [
        catalogApiMock({ entities: allEntities }),
        [entityPresentationApiRef, presentationOf(allEntities)],
        [dataProductsApiRef, mockDataProductsApi()],
        [dataProductsFreshnessApiRef, noFreshness],
        [dataProductsQualityApiRef, qualityApi],
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    const failing = await screen.findByLabelText(
      'Quality: failing',
      {},
      { timeout: 10_000 },
    );
    expect(failing.closest('tr')).toHaveTextContent('Sales CRM Customers');
    expect(
      screen.getByLabelText('Quality: checks pass').closest('tr'),
    ).toHaveTextContent('Marketing Customer 360');
    expect(screen.getAllByLabelText(/^Quality:/)).toHaveLength(2);
    expect(qualityApi.getQualitySummaries).toHaveBeenCalledTimes(1);
  });
});
