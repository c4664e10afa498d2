export { LineageService, MAX_REACHED_ROWS } from './LineageService';
export type { LineageRequest } from './LineageService';
export { CatalogLineageWalk } from './CatalogLineageWalk';
export { MAX_LINEAGE_DEPTH, MAX_LINEAGE_NODES } from './lineageLimits';
