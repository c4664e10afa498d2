/**
 * Data product pages for Backstage: output ports with live status, schema,
 * inputs, consumers, lineage and a data product explorer.
 *
 * Components for apps with an `EntityPage.tsx` (legacy frontend system); the
 * new frontend system uses the plugin from `./alpha`.
 *
 * @packageDocumentation
 */
export { dataProductsPlugin, DataProductsPage } from './plugin';
export { dataProductsApiRef, DataProductsClient } from './api';
export type { DataProductsApi, LineageOptions } from './api';
export { OutputPortsCard as EntityOutputPortsCard } from './components/OutputPortsCard';
export { OutputPortSchemaCard as EntityOutputPortSchemaCard } from './components/OutputPortSchemaCard';
export { InputsCard as EntityDataProductInputsCard } from './components/InputsCard';
export { ConsumersCard as EntityDataProductConsumersCard } from './components/ConsumersCard';
export {
  LineageCard as EntityDataProductLineageCard,
  LineageContent as EntityDataProductLineageContent,
  LineageGraph,
} from './components/LineageGraph';
export { ModelContent as EntityDataProductModelContent } from './components/ModelContent';
export {
  isDataProduct,
  isOutputPort,
  hasLineage,
  hasModel,
} from './lib/relations';
