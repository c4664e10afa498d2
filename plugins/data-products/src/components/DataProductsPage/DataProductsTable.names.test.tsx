import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  entityPresentationApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { fireEvent, screen, within } from '@testing-library/react';
import { allEntities } from '../../__testUtils__/fixtures';
import { presentationOf } from '../../__testUtils__/renderEntityPage';
import { DataProductsTable, toProductRows } from './DataProductsTable';

const named = (kind: string, name: string, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: DEFAULT_NAMESPACE, title },
  spec: {},
});

const entities = [
  ...allEntities,
  named('Domain', 'sales', 'Sales domain'),
  named('Domain', 'marketing', 'Marketing domain'),
  named('Group', 'sales', 'Sales team'),
  named('Group', 'marketing', 'Marketing team'),
];

async function renderTable() {
  await renderInTestApp(
    <DataProductsTable rows={toProductRows(allEntities)} />,
    {
      apis: [[entityPresentationApiRef, presentationOf(entities)]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

function productNames() {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent);
}

describe('DataProductsTable for a newcomer', () => {
  it("finds a product by the name of one of its ports' columns", async () => {
    await renderTable();
    fireEvent.change(screen.getByLabelText('Search'), {
      target: { value: 'delivery_status' },
    });
    expect(productNames()).toEqual(['Marketing Customer 360']);
  });

  it('offers domains and owners by their names, not their refs', async () => {
    await renderTable();
    const domain = screen.getByLabelText('Domain');
    expect(
      await within(domain).findByRole('option', { name: 'Sales domain' }),
    ).toHaveValue('sales');
    const owner = screen.getByLabelText('Owner');
    expect(
      within(owner).getByRole('option', { name: 'Marketing team' }),
    ).toHaveValue('group:default/marketing');
    expect(screen.queryByRole('option', { name: /group:default/ })).toBeNull();
    fireEvent.change(owner, { target: { value: 'group:default/sales' } });
    expect(productNames()).toEqual(['Sales CRM Customers', 'Sales ERP Orders']);
  });
});
