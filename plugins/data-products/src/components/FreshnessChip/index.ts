export { FreshnessChip, FRESHNESS_LABELS } from './FreshnessChip';
