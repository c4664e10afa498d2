export { createAccessGovernance } from './createAccessGovernance';
export {
  ACCESS_EXPIRY_TASK_ID,
  AccessExpiry,
  readExpirySchedule,
} from './AccessExpiry';
export { ACCESS_NOTIFICATION_TOPIC } from './AccessNotifier';
