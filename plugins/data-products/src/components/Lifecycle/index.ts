export { LifecycleCard } from './LifecycleCard';
export { DeprecationBanner } from './DeprecationBanner';
export { DeprecateDialog } from './DeprecateDialog';
export type { DeprecateDialogProps } from './DeprecateDialog';
export { DeleteDialog } from './DeleteDialog';
export type { DeleteDialogProps } from './DeleteDialog';
export {
  isRegistryProvided,
  LIFECYCLE_ACTION_PARAM,
  type LifecycleAction,
} from './lifecycle';
