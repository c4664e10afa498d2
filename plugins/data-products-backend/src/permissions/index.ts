export { addDataProductResourceType } from './dataProductResourceType';
