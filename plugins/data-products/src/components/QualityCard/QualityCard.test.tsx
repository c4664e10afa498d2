import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type {
  PortQuality,
  QualityRuleHistory,
} from '@dataproducts/plugin-data-products-common';
import { screen, within } from '@testing-library/react';
import {
  DataProductsQualityApi,
  dataProductsQualityApiRef,
} from '../../api/DataProductsQualityApi';
import { crmCustomers, crmCustomersPort } from '../../__testUtils__/fixtures';
import { QualityCard } from './QualityCard';

const at = (minutes: number) =>
  new Date(Date.UTC(2026, 11, 1, 10, minutes)).toISOString();

function history(passes: boolean[]): QualityRuleHistory['history'] {
  return passes.map((passed, i) => ({
    buildId: 100 - i,
    checkedAt: at(59 - i),
    value: passed ? 0 : 3,
    passed,
  }));
}

const customersQuality: PortQuality = {
  product: 'sales-crm-customers',
  port: 'customers',
  builds: [
    { id: 100, checkedAt: at(59), outcome: 'failed', rowCount: 503 },
    { id: 99, checkedAt: at(58), outcome: 'passed', rowCount: 500 },
  ],
  rules: [
    {
      key: 'primaryKey_id',
      latest: {
        key: 'primaryKey_id',
        kind: 'constraint',
        constraint: 'primaryKey',
        column: 'id',
        description: 'id has no duplicates (primaryKey)',
        severity: 'error',
        unit: 'rows',
        expectation: '= 0',
        value: 3,
        passed: false,
        detail: '3 rows, must be = 0; e.g. id 3, 5',
        buildId: 100,
        checkedAt: at(59),
      },
      history: history([false, ...Array(29).fill(true)]),
    },
    {
      key: 'signup_fresh',
      latest: {
        key: 'signup_fresh',
        kind: 'rule',
        metric: 'freshness',
        column: 'signup_date',
        description: 'freshness of signup_date (seconds) < 86400',
        severity: 'warning',
        unit: 'seconds',
        expectation: '< 86400',
        value: 120,
        passed: true,
        buildId: 100,
        checkedAt: at(59),
      },
      history: history([true, true]),
    },
  ],
};

function qualityApi(
  overrides: Partial<DataProductsQualityApi> = {},
): DataProductsQualityApi {
  return {
    getPortQuality: jest.fn(async () => customersQuality),
    getQualitySummaries: jest.fn(async () => []),
    ...overrides,
  };
}

function renderCard(entity = crmCustomersPort, api = qualityApi()) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <QualityCard />
    </EntityProvider>,
    { apis: [[dataProductsQualityApiRef, api]] },
  );
}

describe('QualityCard', () => {
  it('shows each check of a port with its latest value, outcome and severity, and its last 30 builds', async () => {
    const api = qualityApi();
    renderCard(crmCustomersPort, api);
    expect(
      await screen.findByLabelText('Quality: failing', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(api.getPortQuality).toHaveBeenCalledWith(
      'outputport:default/sales-crm-customers-customers',
    );
    expect(
      screen.getByText(
        /the build was refused and the previous data stays in place/,
      ),
    ).toBeInTheDocument();

    const [, pkey, fresh] = screen.getAllByRole('row');
    expect(within(pkey).getByText('primaryKey_id')).toBeInTheDocument();
    expect(within(pkey).getByText('constraint')).toBeInTheDocument();
    expect(within(pkey).getByText('3 rows')).toBeInTheDocument();
    expect(within(pkey).getByText('failed')).toBeInTheDocument();
    expect(
      within(pkey).getByText('3 rows, must be = 0; e.g. id 3, 5'),
    ).toBeInTheDocument();
    const strip = within(pkey).getByRole('list', {
      name: 'Last 30 builds of primaryKey_id',
    });
    const marks = within(strip).getAllByRole('listitem');
    expect(marks).toHaveLength(30);
    // Oldest first: the newest build, which failed, is last.
    expect(marks[29]).toHaveAccessibleName('failed');
    expect(marks[0]).toHaveAccessibleName('passed');

    expect(within(fresh).getByText('quality rule')).toBeInTheDocument();
    expect(within(fresh).getByText('warning')).toBeInTheDocument();
    expect(within(fresh).getByText('120 s')).toBeInTheDocument();
    expect(within(fresh).getByText('passed')).toBeInTheDocument();
  });

  it('says so when no build was checked yet', async () => {
    renderCard(
      crmCustomersPort,
      qualityApi({
        getPortQuality: jest.fn(async () => ({
          ...customersQuality,
          builds: [],
          rules: [],
        })),
      }),
    );
    expect(
      await screen.findByText(/No build of this port has been checked yet/),
    ).toBeInTheDocument();
  });

  it("shows the latest outcome of each of a product's ports", async () => {
    const api = qualityApi({
      getQualitySummaries: jest.fn(async () => [
        {
          product: 'sales-crm-customers',
          port: 'customers',
          checkedAt: at(59),
          outcome: 'warning' as const,
          checks: 3,
          failedErrors: 0,
          failedWarnings: 1,
        },
      ]),
    });
    renderCard(crmCustomers, api);
    expect(
      await screen.findByLabelText('Quality: warnings'),
    ).toBeInTheDocument();
    expect(api.getQualitySummaries).toHaveBeenCalledWith([
      'sales-crm-customers',
    ]);
    expect(screen.getByText('customers')).toBeInTheDocument();
  });

  it('shows the server error in a panel', async () => {
    renderCard(
      crmCustomersPort,
      qualityApi({
        getPortQuality: jest.fn(async () => {
          throw new Error('The warehouse is unreachable: connect ECONNREFUSED');
        }),
      }),
    );
    expect(
      await screen.findByRole('heading', {
        name: /The warehouse is unreachable/,
      }),
    ).toBeInTheDocument();
  });
});
