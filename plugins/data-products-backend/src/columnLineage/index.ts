export { ColumnLineageService } from './ColumnLineageService';
export { createColumnLineageRouter } from './createColumnLineageRouter';
