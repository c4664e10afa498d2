export { CardTable } from './CardTable';
export type { CardTableProps } from './CardTable';
