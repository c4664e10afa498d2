export { MeshIndex, MESH_RECONCILED_AT } from './MeshIndex';
export type { MeshLineageNode, MeshStep } from './MeshIndex';
export { MeshIndexSync, MESH_RECONCILE_PAGE_SIZE } from './MeshIndexSync';
export type { MeshReconcileSummary } from './MeshIndexSync';
export {
  DEFAULT_MESH_RECONCILE_SCHEDULE,
  keepMeshIndexCurrent,
  MESH_RECONCILE_SCHEDULE_KEY,
  MESH_RECONCILE_TASK_ID,
  readMeshIndexSchedule,
} from './keepMeshIndexCurrent';
export { RegistryIndexQueue } from './RegistryIndexQueue';
export {
  entityDeclaration,
  meshRef,
  portDeclaration,
  productDeclarations,
} from './meshEntries';
export type {
  MeshDeclaration,
  MeshEdgeRow,
  MeshNodeOrigin,
  MeshNodeRow,
} from './meshEntries';
