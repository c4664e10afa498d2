export { StatusService } from './StatusService';
export type { DataProductInspector } from './StatusService';
