import type {
  PortFreshness,
  ProductFreshness,
} from '@dataproducts/plugin-data-products-common';
import type { DataProductsFreshnessApi } from '../api';

/** Sales CRM customers, built an hour ago and fresh for a day, refreshed hourly. */
export const freshCustomers: PortFreshness = {
  port: 'outputport:default/sales-crm-customers-customers',
  product: 'dataproduct:default/sales-crm-customers',
  name: 'customers',
  type: 'postgres-table',
  state: 'fresh',
  reason: 'Last built 60 min ago; fresh for PT24H',
  lastSuccessAt: '2026-12-01T10:00:00.000Z',
  maxAge: 'PT24H',
  schedule: 'every PT1H',
  consecutiveFailures: 0,
  runs: [
    {
      id: '2',
      product: 'dataproduct:default/sales-crm-customers',
      port: 'outputport:default/sales-crm-customers-customers',
      trigger: 'schedule',
      actor: 'plugin:data-products',
      attempt: 1,
      startedAt: '2026-12-01T10:00:00.000Z',
      finishedAt: '2026-12-01T10:00:01.000Z',
      outcome: 'succeeded',
      rows: 1000,
    },
  ],
};

/** The same port after its refresh failed twice in a row. */
export const failingCustomers: PortFreshness = {
  ...freshCustomers,
  state: 'failing',
  reason: 'The last 2 refreshes failed; last built 3 h ago',
  consecutiveFailures: 2,
};

/** Sales CRM customers as a product: its one port. */
export const crmFreshness: ProductFreshness = {
  product: 'dataproduct:default/sales-crm-customers',
  state: 'fresh',
  ports: [freshCustomers],
};

/** A freshness API that knows nothing unless a test gives it answers. */
export function mockFreshnessApi(
  overrides: Partial<DataProductsFreshnessApi> = {},
): DataProductsFreshnessApi {
  return {
    getPortFreshness: jest.fn(async () => {
      throw new Error('no port freshness in this test');
    }),
    getProductFreshness: jest.fn(async () => {
      throw new Error('no product freshness in this test');
    }),
    getFreshness: jest.fn(async () => ({ products: [], ports: [] })),
    refreshPort: jest.fn(async () => {
      throw new Error('no refresh in this test');
    }),
    ...overrides,
  };
}
