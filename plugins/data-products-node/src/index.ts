/**
 * The data product warehouse engine: provisions data products in PostgreSQL.
 *
 * @packageDocumentation
 */
export { WarehouseEngine } from './engine/WarehouseEngine';
export type { WarehouseEngineOptions } from './engine/WarehouseEngine';
export type { AccessRequest } from './engine/access';
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
