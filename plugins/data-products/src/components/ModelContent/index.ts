export { ModelContent } from './ModelContent';
