/**
 * Model SQL checked by PostgreSQL's own parser: `source()` references
 * resolved on the tree, the tree checked against what a model may do, and
 * the checked tree deparsed into the SQL that runs. See docs/model-safety.md.
 */
export { loadModelParser } from './parser';
export { checkModel } from './checkModel';
export type { CheckModelOptions, CheckedModel } from './checkModel';
export type {
  ModelInput,
  ModelSourceReference,
  PhysicalRelation,
} from './references';
export { locateExecutionError } from './executionErrors';
export { locateInModel } from './location';
export type { ModelLocation } from './location';
export {
  MODEL_FUNCTION_FAMILIES,
  MODEL_FUNCTIONS,
  MODEL_SEARCH_PATH,
  MODEL_TABLESAMPLE_METHODS,
  MODEL_TYPES,
} from './allowlist';
export { columnLineage } from './columnLineage';
export type {
  ColumnLineageInputField,
  ColumnTransformation,
  ColumnTransformationSubtype,
  ColumnTransformationType,
  ModelColumnLineage,
  RelationColumns,
} from './columnLineage';
