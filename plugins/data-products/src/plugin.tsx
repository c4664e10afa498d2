import { Header, Page } from '@backstage/core-components';
import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DataProductsClient, dataProductsApiRef } from './api';
import { DataProductsPage as DataProductsPageContent } from './components/DataProductsPage';
import { rootRouteRef } from './routes';

/** The data products plugin for apps on the legacy frontend system. */
export const dataProductsPlugin = createPlugin({
  id: 'data-products',
  apis: [
    createApiFactory({
      api: dataProductsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The data products explorer with its page header, for legacy apps. */
export function DataProductsExplorer() {
  return (
    <Page themeId="tool">
      <Header title="Data products" subtitle="Every data product in the mesh" />
      <DataProductsPageContent />
    </Page>
  );
}

/** The data products explorer page, to mount at `/data-products` in a legacy app. */
export const DataProductsPage = dataProductsPlugin.provide(
  createRoutableExtension({
    name: 'DataProductsPage',
    component: async () => DataProductsExplorer,
    mountPoint: rootRouteRef,
  }),
);
