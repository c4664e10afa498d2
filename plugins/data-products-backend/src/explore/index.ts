export { createExploreRouter } from './createExploreRouter';
export { ExploreService } from './ExploreService';
export { ExploreStore } from './ExploreStore';
