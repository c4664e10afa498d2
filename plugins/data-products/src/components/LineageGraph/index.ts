export { LineageGraph } from './LineageGraph';
export { LineageCard, LineageContent } from './LineageCard';
