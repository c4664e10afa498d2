export { DataProductsAccessClient } from './DataProductsAccessClient';
export type {
  DataProductsAccessApi,
  DataProductsAccessRequestOptions,
} from './DataProductsAccessClient';
