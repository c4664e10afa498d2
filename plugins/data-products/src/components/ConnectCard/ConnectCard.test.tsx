import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type { PortConnection } from '@dataproducts/plugin-data-products-common';
import { screen } from '@testing-library/react';
import { crmCustomersPort } from '../../__testUtils__/fixtures';
import {
  type DataProductsConsumersApi,
  dataProductsConsumersApiRef,
} from '../../api/DataProductsConsumersApi';
import { ConnectCard } from './ConnectCard';

const connection: PortConnection = {
  port: 'outputport:default/sales-crm-customers-customers',
  host: 'warehouse.example.com',
  serverPort: 5433,
  database: 'dataproducts_warehouse',
  schema: 'sales_crm',
  relation: 'customers',
  access: 'restricted',
  roles: [{ role: 'dp_grp_marketing', group: 'group:default/marketing' }],
  psql: 'psql "host=warehouse.example.com port=5433 dbname=dataproducts_warehouse user=<your database login>"',
  jdbcUrl:
    'jdbc:postgresql://warehouse.example.com:5433/dataproducts_warehouse',
  sql: 'SET ROLE dp_grp_marketing;\nSELECT id, first_name\n  FROM sales_crm.customers\n LIMIT 10;',
  source: "{{ source('sales-crm-customers', 'customers') }}",
};

function renderCard(answer: Partial<PortConnection> | Error) {
  const api: DataProductsConsumersApi = {
    getPortConnection: jest.fn(async () => {
      if (answer instanceof Error) throw answer;
      return { ...connection, ...answer };
    }),
    getPortPreview: jest.fn(),
    getPortSize: jest.fn(),
  };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [dataProductsConsumersApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={crmCustomersPort}>
        <ConnectCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ConnectCard', () => {
  it('shows the psql command, the JDBC URL, the SQL with my reading role and the source() line', async () => {
    await renderCard({});
    expect(await screen.findByText('Connect')).toBeInTheDocument();
    expect(
      screen.getByText(/on warehouse.example.com:5433/),
    ).toBeInTheDocument();
    expect(screen.getByText('dp_grp_marketing')).toBeInTheDocument();
    // Highlighted code is split into spans: look at the card's text.
    const text = document.body.textContent ?? '';
    for (const snippet of [
      connection.psql,
      connection.jdbcUrl,
      connection.sql,
      connection.source,
    ]) {
      expect(text).toContain(snippet);
    }
    expect(screen.getByRole('heading', { name: 'psql' })).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'JDBC URL' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Request access' })).toBeNull();
  });

  it('offers Request access when none of my groups reads the port', async () => {
    await renderCard({
      roles: [],
      sql: '-- Your groups cannot read this port yet: use Request access first.\nSELECT id\n  FROM sales_crm.customers\n LIMIT 10;',
    });
    expect(
      await screen.findByText(/None of your groups can read this port yet/),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Request access' }),
    ).toBeInTheDocument();
  });

  it('says a private port cannot be requested', async () => {
    await renderCard({ roles: [], access: 'private' });
    expect(await screen.findByText(/This port is private/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Request access' })).toBeNull();
  });

  it("shows the backend's reason when the details cannot be read", async () => {
    await renderCard(new Error('There is no output port in the catalog'));
    expect(
      await screen.findByText(/Connection details unavailable/),
    ).toBeInTheDocument();
  });
});
