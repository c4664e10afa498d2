export { PortStatusLabel, formatTimestamp } from './StatusChip';
