export { MeshView } from './MeshView';
