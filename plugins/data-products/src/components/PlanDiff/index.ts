export { PlanDiffView, consumerText } from './PlanDiffView';
