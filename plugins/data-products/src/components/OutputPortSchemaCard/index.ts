export { OutputPortSchemaCard } from './OutputPortSchemaCard';
