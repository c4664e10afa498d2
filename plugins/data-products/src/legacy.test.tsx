import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  DataProductsPage,
  EntityDataProductInputsCard,
  EntityOutputPortsCard,
  MyAccessPage,
  dataProductsApiRef,
  dataProductsPlugin,
  isDataProduct,
} from './index';
import {
  allEntities,
  marketing360,
  provisionedStatus,
} from './__testUtils__/fixtures';
import { mockDataProductsApi } from './__testUtils__/renderEntityPage';

describe('legacy frontend system exports', () => {
  it('renders the cards inside an EntityPage with the plugin’s API', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [catalogApiRef, catalogApiMock({ entities: allEntities })],
          [
            dataProductsApiRef,
            mockDataProductsApi({
              getProductStatus: async () => provisionedStatus,
            }),
          ],
        ]}
      >
        <EntityProvider entity={marketing360}>
          {isDataProduct(marketing360) && (
            <>
              <EntityOutputPortsCard />
              <EntityDataProductInputsCard />
            </>
          )}
        </EntityProvider>
      </TestApiProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByText('1,234')).toBeInTheDocument();
    expect(await screen.findByText('Inputs (2)')).toBeInTheDocument();
  });

  it('provides a plugin with its API and a routable page', () => {
    expect(dataProductsPlugin.getId()).toBe('data-products');
    expect([...dataProductsPlugin.getApis()].map(f => f.api.id)).toEqual([
      'plugin.data-products.column-lineage',
      'plugin.data-products.api',
      'plugin.data-products.access',
      'plugin.data-products.freshness',
      'plugin.data-products.quality',
      'plugin.data-products.consumers',
      'plugin.data-products.explorer',
      'plugin.data-products.mesh',
    ]);
    expect(DataProductsPage).toBeDefined();
    expect(MyAccessPage).toBeDefined();
  });
});
