export { EditDataProductPage } from './EditDataProductPage';
export { editDataProductPath } from './editPath';
