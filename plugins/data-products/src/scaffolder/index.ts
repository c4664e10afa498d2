export { dataProductFormFields } from './fields';
export { SourceTableColumnsPicker } from './SourceTableColumnsPicker';
export type { SourceTableColumnsPickerOptions } from './SourceTableColumnsPicker';
export { DataProductSchemaPicker } from './DataProductSchemaPicker';
export type { DataProductSchemaPickerOptions } from './DataProductSchemaPicker';
export { ModelSqlEditor } from './ModelSqlEditor';
export { PlanDiffField } from './PlanDiffField';
export type { PlanDiffFieldValue } from './PlanDiffField';
export type { ModelSqlEditorOptions } from './ModelSqlEditor';
export { OutputPortInputsPicker } from './OutputPortInputsPicker';
export { ContractColumnsEditor } from './ContractColumnsEditor';
export type { ContractColumnsEditorOptions } from './ContractColumnsEditor';
export { EntityNamesForReview } from './EntityNamesForReview';
export type { EntityNamesForReviewOptions } from './EntityNamesForReview';
export {
  documentedColumns,
  sourceReferenceFor,
  suggestSchemaName,
} from './sourceColumns';
