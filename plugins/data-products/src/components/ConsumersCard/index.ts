export { ConsumersCard } from './ConsumersCard';
