export { ConsumerService } from './ConsumerService';
export type { ConsumerServer } from './ConsumerService';
export { createConsumersRouter } from './createConsumersRouter';
