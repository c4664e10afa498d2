import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  entityPresentationApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { allEntities } from '../../__testUtils__/fixtures';
import { crmFreshness } from '../../__testUtils__/freshnessFixtures';
import { presentationOf } from '../../__testUtils__/renderEntityPage';
import { DataProductsTable, toProductRows } from './DataProductsTable';

describe('DataProductsTable freshness', () => {
  it("shows each product's freshness chip, and a dash where the backend gave none", async () => {
    const rows = toProductRows(allEntities).map(row => ({
      ...row,
      freshness: row.id === crmFreshness.product ? crmFreshness : undefined,
    }));
    await renderInTestApp(<DataProductsTable rows={rows} />, {
      apis: [[entityPresentationApiRef, presentationOf(allEntities)]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    const rowOf = async (title: string) =>
      (await screen.findByText(title, undefined, { timeout: 30000 })).closest(
        'tr',
      ) as HTMLElement;
    expect(
      within(await rowOf('Sales CRM Customers')).getByLabelText(
        'Freshness: fresh',
      ),
    ).toBeInTheDocument();
    expect(
      within(await rowOf('Sales ERP Orders')).queryByLabelText(/^Freshness:/),
    ).toBeNull();
  });
});
