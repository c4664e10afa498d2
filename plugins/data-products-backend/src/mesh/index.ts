export { MeshService } from './MeshService';
export { createMeshRouter } from './createMeshRouter';
