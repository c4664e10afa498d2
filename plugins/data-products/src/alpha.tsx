import {
  ApiBlueprint,
  OverridableFrontendPlugin,
  PageBlueprint,
  RouteRef,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  CatalogFilterBlueprint,
  EntityCardBlueprint,
  EntityContentBlueprint,
  EntityContextMenuItemBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { DataProductsAccessClient } from '@dataproducts/plugin-data-products-common';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import StorageIcon from '@material-ui/icons/Storage';
import DeleteIcon from '@material-ui/icons/Delete';
import ScheduleIcon from '@material-ui/icons/Schedule';
import {
  DataProductsLifecycleClient,
  dataProductsLifecycleApiRef,
} from './api/DataProductsLifecycleApi';
import { isRegistryProvided } from './components/Lifecycle/lifecycle';
import {
  useDeleteMenuItem,
  useDeprecateMenuItem,
} from './components/Lifecycle/menuItems';
import EditIcon from '@material-ui/icons/Edit';
import {
  DataProductPlansClient,
  dataProductPlansApiRef,
} from './api/DataProductPlansApi';
import { dataProductsColumnLineageApiRef } from './api/DataProductsColumnLineageApi';
import { DataProductsColumnLineageClient } from './api/DataProductsColumnLineageClient';
import { editDataProductPath } from './components/EditDataProduct/editPath';
import {
  DataProductsClient,
  DataProductsFreshnessClient,
  dataProductsAccessApiRef,
  dataProductsApiRef,
  dataProductsFreshnessApiRef,
} from './api';
import {
  hasLineage,
  hasModel,
  isDataProduct,
  isOutputPort,
} from './lib/relations';
import { DataProductsConsumersClient } from './api/DataProductsConsumersClient';
import { dataProductsQualityApiRef } from './api/DataProductsQualityApi';
import {
  DataProductsMeshClient,
  dataProductsMeshApiRef,
} from './api/DataProductsMeshApi';
import { dataProductsExplorerApiRef } from './api/DataProductsExplorerApi';
import { DataProductsExplorerClient } from './api/DataProductsExplorerClient';
import { prefetchFirstExplorerPage } from './components/DataProductsPage/explorerPrefetch';
import { loadOnce } from './lib/loadOnce';
import { DataProductsQualityClient } from './api/DataProductsQualityClient';
import { dataProductsConsumersApiRef } from './api/DataProductsConsumersApi';
import { myAccessRouteRef, rootRouteRef } from './routes';
import { dataProductFormFields } from './scaffolder';

const isProductOrPort = (entity: Parameters<typeof isDataProduct>[0]) =>
  isDataProduct(entity) || isOutputPort(entity);

/** The API client of the data products backend. */
const dataProductsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: dataProductsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsClient({ discoveryApi, fetchApi }),
    }),
});

/** The client of column lineage and impact analysis. */
const dataProductsColumnLineageApi = ApiBlueprint.make({
  name: 'column-lineage',
  params: defineParams =>
    defineParams({
      api: dataProductsColumnLineageApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsColumnLineageClient({ discoveryApi, fetchApi }),
    }),
});

/** The client of the access requests, port readers and product history. */
const dataProductsAccessApi = ApiBlueprint.make({
  name: 'access',
  params: defineParams =>
    defineParams({
      api: dataProductsAccessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsAccessClient({ discoveryApi, fetchApi }),
    }),
});

/** The client of `POST /plans`: a change's plan and diff before it is applied. */
const dataProductPlansApi = ApiBlueprint.make({
  name: 'plans',
  params: defineParams =>
    defineParams({
      api: dataProductPlansApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductPlansClient({ discoveryApi, fetchApi }),
    }),
});

/** Edit at `/edit-data-product/<namespace>/<name>`: the product's template, pre-filled. */
const editDataProductPage = PageBlueprint.make({
  name: 'edit',
  params: {
    path: '/edit-data-product',
    loader: () =>
      import('./components/EditDataProduct').then(m => (
        <m.EditDataProductPage />
      )),
  },
});

/** Edit in the menu of DataProduct pages. */
const editDataProductMenuItem = EntityContextMenuItemBlueprint.make({
  name: 'edit',
  params: {
    icon: <EditIcon fontSize="small" />,
    filter: isDataProduct,
    useProps: () => {
      const { entity } = useEntity();
      return { title: 'Edit', href: editDataProductPath(entity) };
    },
  },
});

/** The client of a product's consumers, deprecation and Delete. */
const dataProductsLifecycleApi = ApiBlueprint.make({
  name: 'lifecycle',
  params: defineParams =>
    defineParams({
      api: dataProductsLifecycleApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsLifecycleClient({ discoveryApi, fetchApi }),
    }),
});

const isRegisteredProduct = (entity: Parameters<typeof isDataProduct>[0]) =>
  isDataProduct(entity) && isRegistryProvided(entity);

/** The lifecycle with Deprecate and Delete, beside the About card of DataProduct pages. */
const lifecycleCard = EntityCardBlueprint.make({
  name: 'lifecycle',
  params: {
    type: 'info',
    filter: isDataProduct,
    loader: () =>
      import('./components/Lifecycle').then(m => <m.LifecycleCard />),
  },
});

/** The deprecation banner: on a deprecated product's page, its ports' pages and its consumers' pages. */
const deprecationBanner = EntityCardBlueprint.make({
  name: 'deprecation',
  params: {
    type: 'content',
    filter: isProductOrPort,
    loader: () =>
      import('./components/Lifecycle').then(m => <m.DeprecationBanner />),
  },
});

/** "Deprecate…" in the menu of the registry's DataProduct pages. */
const deprecateMenuItem = EntityContextMenuItemBlueprint.make({
  name: 'deprecate',
  params: {
    icon: <ScheduleIcon fontSize="small" />,
    filter: isRegisteredProduct,
    useProps: useDeprecateMenuItem,
  },
});

/** "Delete data product…" in the menu of the registry's DataProduct pages: Delete decommissions. */
const deleteMenuItem = EntityContextMenuItemBlueprint.make({
  name: 'delete',
  params: {
    icon: <DeleteIcon fontSize="small" />,
    filter: isRegisteredProduct,
    useProps: useDeleteMenuItem,
  },
});

/** The client of freshness and Refresh now. */
const dataProductsFreshnessApi = ApiBlueprint.make({
  name: 'freshness',
  params: defineParams =>
    defineParams({
      api: dataProductsFreshnessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsFreshnessClient({ discoveryApi, fetchApi }),
    }),
});

const loadExplorerPage = loadOnce(() =>
  import('./components/DataProductsPage').then(m => <m.DataProductsPage />),
);

/** The data products explorer at `/data-products`, with a nav item. */
const dataProductsPage = PageBlueprint.makeWithOverrides({
  factory(originalFactory, { apis }) {
    return originalFactory({
      path: '/data-products',
      title: 'Data products',
      icon: <StorageIcon />,
      routeRef: rootRouteRef,
      loader: () => {
        // The explorer's first page is asked for beside the page's code.
        const explorerApi = apis.get(dataProductsExplorerApiRef);
        if (explorerApi) prefetchFirstExplorerPage(explorerApi);
        return loadExplorerPage();
      },
    });
  },
});

/** "My access" at `/my-access`, with a nav item: my requests and what I can read. */
const myAccessPage = PageBlueprint.make({
  name: 'my-access',
  params: {
    path: '/my-access',
    title: 'My access',
    icon: <LockOpenIcon />,
    routeRef: myAccessRouteRef,
    loader: () =>
      import('./components/MyAccessPage').then(m => <m.MyAccessPage />),
  },
});

/** Output ports with live status, on DataProduct pages. */
const outputPortsCard = EntityCardBlueprint.make({
  name: 'output-ports',
  params: {
    type: 'content',
    filter: isDataProduct,
    loader: () =>
      import('./components/OutputPortsCard').then(m => <m.OutputPortsCard />),
  },
});

/** Declared columns beside the warehouse's, on OutputPort pages. */
const outputPortSchemaCard = EntityCardBlueprint.make({
  name: 'output-port-schema',
  params: {
    type: 'content',
    filter: isOutputPort,
    loader: () =>
      import('./components/OutputPortSchemaCard').then(m => (
        <m.OutputPortSchemaCard />
      )),
  },
});

/** The ports and sources a data product reads, on DataProduct pages. */
const inputsCard = EntityCardBlueprint.make({
  name: 'inputs',
  params: {
    type: 'content',
    filter: isDataProduct,
    loader: () => import('./components/InputsCard').then(m => <m.InputsCard />),
  },
});

/** Who reads a product's ports, on DataProduct and OutputPort pages. */
const consumersCard = EntityCardBlueprint.make({
  name: 'consumers',
  params: {
    type: 'content',
    filter: isProductOrPort,
    loader: () =>
      import('./components/ConsumersCard').then(m => <m.ConsumersCard />),
  },
});

/** The client of a port's connection details, sample rows and size. */
const dataProductsConsumersApi = ApiBlueprint.make({
  name: 'consumers',
  params: defineParams =>
    defineParams({
      api: dataProductsConsumersApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsConsumersClient({ discoveryApi, fetchApi }),
    }),
});

/** How to connect (psql, JDBC, SQL with my reader role), on OutputPort pages. */
const connectCard = EntityCardBlueprint.make({
  name: 'connect',
  params: {
    type: 'content',
    filter: isOutputPort,
    loader: () =>
      import('./components/ConnectCard').then(m => <m.ConnectCard />),
  },
});

/** Sample rows (PII masked), row count, size and last build, on OutputPort pages. */
const previewCard = EntityCardBlueprint.make({
  name: 'preview',
  params: {
    type: 'content',
    filter: isOutputPort,
    loader: () =>
      import('./components/PreviewCard').then(m => <m.PreviewCard />),
  },
});

/** Who can read a port and the requests for it, with Request access, on DataProduct and OutputPort pages. */
const accessCard = EntityCardBlueprint.make({
  name: 'access',
  params: {
    type: 'content',
    filter: isProductOrPort,
    loader: () => import('./components/AccessCard').then(m => <m.AccessCard />),
  },
});

/** How fresh the data is, with recent refreshes and Refresh now, on DataProduct and OutputPort pages. */
const freshnessCard = EntityCardBlueprint.make({
  name: 'freshness',
  params: {
    type: 'content',
    filter: isProductOrPort,
    loader: () =>
      import('./components/FreshnessCard').then(m => <m.FreshnessCard />),
  },
});

/** The client of the checks of builds (constraints and quality rules). */
const dataProductsQualityApi = ApiBlueprint.make({
  name: 'quality',
  params: defineParams =>
    defineParams({
      api: dataProductsQualityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsQualityClient({ discoveryApi, fetchApi }),
    }),
});

/** The client of the explorer's pages of data products. */
const dataProductsExplorerApi = ApiBlueprint.make({
  name: 'explorer',
  params: defineParams =>
    defineParams({
      api: dataProductsExplorerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsExplorerClient({ discoveryApi, fetchApi }),
    }),
});

/** The client of the mesh view's graph and search. */
const dataProductsMeshApi = ApiBlueprint.make({
  name: 'mesh',
  params: defineParams =>
    defineParams({
      api: dataProductsMeshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataProductsMeshClient({ discoveryApi, fetchApi }),
    }),
});

/** The checks of each build: each rule's latest result and last 30 builds on OutputPort pages, each port's outcome on DataProduct pages. */
const qualityCard = EntityCardBlueprint.make({
  name: 'quality',
  params: {
    type: 'content',
    filter: isProductOrPort,
    loader: () =>
      import('./components/QualityCard').then(m => <m.QualityCard />),
  },
});

/** The lineage graph, on DataProduct and OutputPort pages and on the pages of the source tables products read. */
const lineageCard = EntityCardBlueprint.make({
  name: 'lineage',
  params: {
    type: 'content',
    filter: hasLineage,
    loader: () =>
      import('./components/LineageGraph').then(m => <m.LineageCard />),
  },
});

/** The full lineage tab, wherever the lineage card shows. */
const lineageContent = EntityContentBlueprint.make({
  name: 'lineage',
  params: {
    path: 'lineage',
    title: 'Lineage',
    filter: hasLineage,
    loader: () =>
      import('./components/LineageGraph').then(m => <m.LineageContent />),
  },
});

/** The Model tab: SQL with linked `source()` references, on products built from a model. */
const modelContent = EntityContentBlueprint.make({
  name: 'model',
  params: {
    path: 'model',
    title: 'Model',
    filter: hasModel,
    loader: () =>
      import('./components/ModelContent').then(m => <m.ModelContent />),
  },
});

/** The History tab: every change to a product and its access, on DataProduct pages. */
const historyContent = EntityContentBlueprint.make({
  name: 'history',
  params: {
    path: 'history',
    title: 'History',
    filter: isDataProduct,
    loader: () =>
      import('./components/HistoryContent').then(m => <m.HistoryContent />),
  },
});

/** On the catalog page, beside the filters: how to start while there is no data product. */
const getStartedCatalogFilter = CatalogFilterBlueprint.make({
  name: 'get-started',
  params: {
    loader: () =>
      import('./components/GetStarted').then(m => <m.GetStartedCard />),
  },
});

/**
 * The data products plugin for the new frontend system: entity cards and
 * tabs for DataProduct and OutputPort pages, the explorer and "My access"
 * pages with their nav items.
 *
 * @alpha
 */
const dataProductsPlugin: OverridableFrontendPlugin<{
  root: RouteRef;
  myAccess: RouteRef;
}> = createFrontendPlugin({
  pluginId: 'data-products',
  title: 'Data products',
  icon: <StorageIcon />,
  routes: { root: rootRouteRef, myAccess: myAccessRouteRef },
  extensions: [
    dataProductsApi,
    dataProductsColumnLineageApi,
    dataProductsAccessApi,
    dataProductsFreshnessApi,
    dataProductsQualityApi,
    dataProductsMeshApi,
    dataProductsExplorerApi,
    dataProductsLifecycleApi,
    dataProductPlansApi,
    dataProductsPage,
    editDataProductPage,
    editDataProductMenuItem,
    myAccessPage,
    deprecationBanner,
    lifecycleCard,
    deprecateMenuItem,
    deleteMenuItem,
    outputPortsCard,
    outputPortSchemaCard,
    inputsCard,
    consumersCard,
    accessCard,
    dataProductsConsumersApi,
    connectCard,
    previewCard,
    freshnessCard,
    qualityCard,
    lineageCard,
    lineageContent,
    modelContent,
    historyContent,
    getStartedCatalogFilter,
    ...dataProductFormFields,
  ],
});

export default dataProductsPlugin;
