export { createRefresh } from './createRefresh';
export { readRefreshConfig } from './readRefreshConfig';
export type { RefreshConfig } from './readRefreshConfig';
export {
  FRESHNESS_CHECK_TASK_ID,
  REFRESH_RECONCILE_TASK_ID,
  refreshTaskId,
} from './RefreshScheduler';
export { REFRESH_NOTIFICATION_TOPIC } from './RefreshNotifier';
