export * from './types';
export {
  odcsDataContractSchema,
  validateOdcsContract,
} from './validateOdcsContract';
export { toOdcsContract } from './toOdcsContract';
export type { OdcsExportContext } from './toOdcsContract';
export { fromOdcsContract } from './fromOdcsContract';
export type { OdcsImport, OdcsImportOptions } from './fromOdcsContract';
