export { PlanService } from './PlanService';
export type { PlanServiceOptions, ProductPlan } from './PlanService';
export { createPlansRouter, PLAN_BODY_LIMIT } from './createPlansRouter';
