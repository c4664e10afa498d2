export { ContractService, readContractServer } from './ContractService';
export type { ContractServer } from './ContractService';
export { createContractsRouter } from './createContractsRouter';
