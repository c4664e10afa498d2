export { LineageService, MAX_LINEAGE_DEPTH } from './LineageService';
export type { LineageRequest } from './LineageService';
