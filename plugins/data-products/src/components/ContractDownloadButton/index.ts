export { ContractDownloadButton } from './ContractDownloadButton';
export { contractUrl, fetchContract } from './contractDownload';
