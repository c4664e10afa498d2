import {
  ApiBlueprint,
  OverridableFrontendPlugin,
  PageBlueprint,
  RouteRef,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import StorageIcon from '@material-ui/icons/Storage';
import { DataProductsClient, dataProductsApiRef } from './api';
import {
  hasLineage,
  hasModel,
  isDataProduct,
  isOutputPort,
} from './lib/relations';
import { rootRouteRef } from './routes';
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

/** The data products explorer at `/data-products`, with a nav item. */
const dataProductsPage = PageBlueprint.make({
  params: {
    path: '/data-products',
    title: 'Data products',
    icon: <StorageIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/DataProductsPage').then(m => <m.DataProductsPage />),
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

/**
 * The data products plugin for the new frontend system: entity cards and
 * tabs for DataProduct and OutputPort pages, the explorer page and its nav item.
 *
 * @alpha
 */
const dataProductsPlugin: OverridableFrontendPlugin<{ root: RouteRef }> =
  createFrontendPlugin({
    pluginId: 'data-products',
    title: 'Data products',
    icon: <StorageIcon />,
    routes: { root: rootRouteRef },
    extensions: [
      dataProductsApi,
      dataProductsPage,
      outputPortsCard,
      outputPortSchemaCard,
      inputsCard,
      consumersCard,
      lineageCard,
      lineageContent,
      modelContent,
      ...dataProductFormFields,
    ],
  });

export default dataProductsPlugin;
