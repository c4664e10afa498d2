export { InputsCard } from './InputsCard';
