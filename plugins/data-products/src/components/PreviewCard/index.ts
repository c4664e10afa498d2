export { PreviewCard, formatBytes, rowsText } from './PreviewCard';
