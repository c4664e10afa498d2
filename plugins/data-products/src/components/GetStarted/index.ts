export { GetStartedCard } from './GetStartedCard';
