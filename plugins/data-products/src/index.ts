/**
 * Data product pages for Backstage: output ports with live status, schema,
 * inputs, consumers, lineage, access requests and history, a data product
 * explorer and a "My access" page.
 *
 * Components for apps with an `EntityPage.tsx` (legacy frontend system); the
 * new frontend system uses the plugin from `./alpha`.
 *
 * @packageDocumentation
 */
export { dataProductsPlugin, DataProductsPage, MyAccessPage } from './plugin';
export {
  dataProductsApiRef,
  dataProductsAccessApiRef,
  dataProductsFreshnessApiRef,
  DataProductsClient,
  DataProductsFreshnessClient,
} from './api';
export type {
  DataProductsApi,
  DataProductsFreshnessApi,
  LineageOptions,
} from './api';
export {
  dataProductsConsumersApiRef,
  DataProductsConsumersClient,
} from './api';
export type { DataProductsConsumersApi } from './api';
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
export { AccessCard as EntityDataProductAccessCard } from './components/AccessCard';
export { HistoryContent as EntityDataProductHistoryContent } from './components/HistoryContent';
export { FreshnessCard as EntityDataProductFreshnessCard } from './components/FreshnessCard';
export { FreshnessChip } from './components/FreshnessChip';
export { RefreshNowButton } from './components/RefreshNowButton';
export { QualityCard as EntityDataProductQualityCard } from './components/QualityCard';
export { QualityChip } from './components/QualityChip';
export { dataProductsQualityApiRef } from './api/DataProductsQualityApi';
export type { DataProductsQualityApi } from './api/DataProductsQualityApi';
export { DataProductsQualityClient } from './api/DataProductsQualityClient';
export { ConnectCard as EntityOutputPortConnectCard } from './components/ConnectCard';
export { PreviewCard as EntityOutputPortPreviewCard } from './components/PreviewCard';
export { RequestAccessButton } from './components/RequestAccess';
export type { RequestAccessButtonProps } from './components/RequestAccess';
export {
  isDataProduct,
  isOutputPort,
  hasLineage,
  hasModel,
} from './lib/relations';
