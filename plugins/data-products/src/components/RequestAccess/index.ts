export { RequestAccessButton } from './RequestAccessButton';
export type { RequestAccessButtonProps } from './RequestAccessButton';
