export { QualityChip, QUALITY_LABELS, worstOutcome } from './QualityChip';
