/**
 * The data product warehouse engine: provisions data products in PostgreSQL;
 * and the data-product permission resource, rules and conditions.
 *
 * @packageDocumentation
 */
export { WarehouseEngine } from './engine/WarehouseEngine';
export type {
  BuildOptions,
  WarehouseEngineOptions,
} from './engine/WarehouseEngine';
export type { DraftModelCheck, DraftModelRequest } from './engine/draftModel';
export {
  BUILD_TIMEOUT_ANNOTATION,
  DEFAULT_BUILD_LIMITS,
  readBuildLimits,
} from './engine/limits';
export type { BuildLimits } from './engine/limits';
export { BuildCancelledError } from './engine/errors';
export { isTransientError } from './engine/transient';
export type { PortBuild } from './engine/builds';
export {
  EXACT_COUNT_LIMIT,
  PREVIEW_ROWS,
  PREVIEW_VALUE_CHARS,
} from './engine/preview';
export type {
  PortPreviewRows,
  PortSize,
  PreviewColumn,
} from './engine/preview';
export { BUILD_APPLICATION_NAME } from './engine/sessions';
export type { RefreshStrategy } from './engine/spec';
export type { AccessConsumer, AccessGrant } from './engine/access';
export type { GroupConsumer } from './engine/groupRoles';
export type { PortReaderRole, ReadablePort } from './engine/readers';
export {
  MAX_COLUMN_LINEAGE_DEPTH,
  MAX_COLUMN_LINEAGE_LINKS,
} from './engine/columnLineageGraph';
export type {
  ColumnConsumer,
  ColumnLineageHop,
  ColumnLineageQuery,
  ColumnLineageWalk,
} from './engine/columnLineageGraph';
export type {
  ApplyResult,
  DecommissionResult,
  PlanCheck,
  PlanStatement,
  PlanStep,
  PortResult,
  ProvisionPlan,
  ProvisionRequest,
  ResolvedInput,
} from './engine/types';
export { columnDrift, describeDrift } from './engine/contract';
export type { QualityOutcome } from './engine/qualityRun';
export { METADATA_SCHEMA } from './engine/metadata';
export { MINIMUM_POSTGRES_MAJOR } from './engine/setUp';
export { warehouseServiceRef } from './service';
export type { WarehouseService } from './service';
export {
  connectWarehouse,
  readWarehouseConfig,
  DEFAULT_WAREHOUSE_DATABASE,
} from './engine/connection';
export type { WarehouseConfig } from './engine/connection';
export * from './permissions';
export {
  createCatalogProductResolver,
  type ProductResolver,
} from './catalog/productResolver';
export {
  MAX_CONTRACT_BYTES,
  parseOdcsYaml,
  stringifyOdcsContract,
} from './contracts/odcsYaml';
