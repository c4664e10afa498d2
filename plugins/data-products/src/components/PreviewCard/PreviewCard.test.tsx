import { ResponseError } from '@backstage/errors';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type {
  PortPreview,
  PortSizeInfo,
} from '@dataproducts/plugin-data-products-common';
import { screen, within } from '@testing-library/react';
import { crmCustomersPort } from '../../__testUtils__/fixtures';
import {
  dataProductsApiRef,
  dataProductsFreshnessApiRef,
  type DataProductsApi,
  type DataProductsFreshnessApi,
} from '../../api';
import {
  type DataProductsConsumersApi,
  dataProductsConsumersApiRef,
} from '../../api/DataProductsConsumersApi';
import { formatBytes, PreviewCard, rowsText } from '.';

const preview: PortPreview = {
  port: 'outputport:default/sales-crm-customers-customers',
  object: 'sales_crm.customers',
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'first_name', type: 'character varying(50)' },
    { name: 'email', type: 'character varying(100)', masked: 'pii' },
  ],
  rows: [
    ['1', 'Ada', null],
    ['2', null, null],
  ],
  limit: 20,
  cut: 0,
  allowedAs: 'permission',
};

const size: PortSizeInfo = {
  port: preview.port,
  object: preview.object,
  type: 'postgres-table',
  rows: 1234,
  rowsExact: true,
  bytes: 65536,
};

async function forbidden(): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message:
            'You are not allowed to preview outputport:default/sales-crm-customers-customers: permission dataproduct.preview was denied on dataproduct:default/sales-crm-customers',
        },
      }),
      { status: 403, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}

async function renderCard(answer: PortPreview | Error) {
  const consumers: DataProductsConsumersApi = {
    getPortConnection: jest.fn(),
    getPortPreview: jest.fn(async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    }),
    getPortSize: jest.fn(async () => size),
  };
  const status = {
    getPortStatus: jest.fn(async () => ({
      name: 'customers',
      object: 'sales_crm.customers',
      type: 'postgres-table',
      exists: true,
      columns: [],
      drift: [],
      lastBuiltAt: '2026-11-30T08:00:00Z',
    })),
  } as unknown as DataProductsApi;
  const freshness = {
    getPortFreshness: jest.fn(async () => ({
      port: preview.port,
      product: 'dataproduct:default/sales-crm-customers',
      name: 'customers',
      type: 'postgres-table',
      state: 'fresh',
      reason: 'Last built 2 h ago; fresh for PT24H',
      consecutiveFailures: 0,
    })),
  } as unknown as DataProductsFreshnessApi;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [dataProductsConsumersApiRef, consumers],
        [dataProductsApiRef, status],
        [dataProductsFreshnessApiRef, freshness],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={crmCustomersPort}>
        <PreviewCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('PreviewCard', () => {
  it('shows the sample rows with the pii column masked, the row count, size, last build and freshness', async () => {
    await renderCard(preview);
    const table = within(
      await screen.findByRole('table', { name: 'Sample rows' }),
    );
    expect(table.getByText('first_name')).toBeInTheDocument();
    expect(table.getByText('character varying(50)')).toBeInTheDocument();
    expect(table.getByText('PII: masked')).toBeInTheDocument();
    expect(table.getByText('Ada')).toBeInTheDocument();
    expect(table.getAllByText('•••')).toHaveLength(2);
    expect(table.getByText('NULL')).toBeInTheDocument();
    expect(
      await screen.findByText(/1,234 rows · 64 kB on disk · last built/),
    ).toBeInTheDocument();
    expect(
      await screen.findByLabelText('Freshness: fresh'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/1 column is masked: never read from the warehouse/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Request access' })).toBeNull();
  });

  it('tells a user who may not preview why, and offers Request access', async () => {
    await renderCard(await forbidden());
    expect(
      await screen.findByText(/You cannot preview this port/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/permission dataproduct.preview was denied/),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Request access' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Sample rows' })).toBeNull();
  });

  it('says when a count is an estimate and formats sizes', () => {
    expect(rowsText({ ...size, rows: 2_500_000, rowsExact: false })).toBe(
      "≈ 2,500,000 rows (PostgreSQL's estimate)",
    );
    expect(rowsText({ ...size, rows: undefined, rowsExact: false })).toBe(
      'rows not counted (the view took too long)',
    );
    expect(rowsText({ ...size, rows: 1 })).toBe('1 row');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(8192)).toBe('8.0 kB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(formatBytes(40 * 1024 * 1024 * 1024)).toBe('40 GB');
  });
});
