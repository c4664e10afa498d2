export { LifecycleService } from './LifecycleService';
export type { LifecycleServiceOptions } from './LifecycleService';
export {
  LIFECYCLE_NOTIFICATION_TOPIC,
  LifecycleNotifier,
} from './LifecycleNotifier';
export { createLifecycleRouter } from './createLifecycleRouter';
