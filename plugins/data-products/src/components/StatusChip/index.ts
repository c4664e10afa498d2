export {
  AccessStatusLabel,
  OutcomeLabel,
  PortStatusLabel,
  formatTimestamp,
} from './StatusChip';
