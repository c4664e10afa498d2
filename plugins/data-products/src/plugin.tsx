import { Header, Page } from '@backstage/core-components';
import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DataProductsAccessClient } from '@dataproducts/plugin-data-products-common';
import {
  DataProductsClient,
  DataProductsFreshnessClient,
  dataProductsAccessApiRef,
  dataProductsApiRef,
  dataProductsFreshnessApiRef,
} from './api';
import { dataProductsColumnLineageApiRef } from './api/DataProductsColumnLineageApi';
import { DataProductsColumnLineageClient } from './api/DataProductsColumnLineageClient';
import { DataProductsPage as DataProductsPageContent } from './components/DataProductsPage';
import { MyAccessPage as MyAccessPageContent } from './components/MyAccessPage';
import { dataProductsQualityApiRef } from './api/DataProductsQualityApi';
import { DataProductsQualityClient } from './api/DataProductsQualityClient';
import { dataProductsConsumersApiRef } from './api/DataProductsConsumersApi';
import { DataProductsConsumersClient } from './api/DataProductsConsumersClient';
import { dataProductsExplorerApiRef } from './api/DataProductsExplorerApi';
import { DataProductsExplorerClient } from './api/DataProductsExplorerClient';
import {
  DataProductsMeshClient,
  dataProductsMeshApiRef,
} from './api/DataProductsMeshApi';
import { myAccessRouteRef, rootRouteRef } from './routes';

/** The data products plugin for apps on the legacy frontend system. */
export const dataProductsPlugin = createPlugin({
  id: 'data-products',
  apis: [
    createApiFactory({
      api: dataProductsColumnLineageApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsColumnLineageClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataProductsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataProductsAccessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsAccessClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataProductsFreshnessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsFreshnessClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataProductsQualityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsQualityClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataProductsConsumersApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsConsumersClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataProductsExplorerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsExplorerClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataProductsMeshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsMeshClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef, myAccess: myAccessRouteRef },
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

/** "My access" with its page header, for legacy apps. */
export function MyAccessExplorer() {
  return (
    <Page themeId="tool">
      <Header
        title="My access"
        subtitle="Your access requests and the output ports you can read"
      />
      <MyAccessPageContent />
    </Page>
  );
}

/** The "My access" page, to mount at `/my-access` in a legacy app. */
export const MyAccessPage = dataProductsPlugin.provide(
  createRoutableExtension({
    name: 'MyAccessPage',
    component: async () => MyAccessExplorer,
    mountPoint: myAccessRouteRef,
  }),
);
