export { QualityService } from './QualityService';
export { createQualityRouter } from './createQualityRouter';
