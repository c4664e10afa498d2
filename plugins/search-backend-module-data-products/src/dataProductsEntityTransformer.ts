import { Entity } from '@backstage/catalog-model';
import {
  CatalogCollatorEntityTransformer,
  defaultCatalogCollatorEntityTransformer,
} from '@backstage/plugin-search-backend-module-catalog';
import {
  isDataProductEntity,
  isOutputPortEntity,
} from '@dataproducts/plugin-data-products-common';

function dataProductText(entity: Entity): string[] {
  if (!isDataProductEntity(entity)) {
    return [];
  }
  const { spec } = entity;
  return [
    `Data product (${spec.type}) in schema ${spec.schema}`,
    ...(spec.inputs?.length ? [`Inputs: ${spec.inputs.join(', ')}`] : []),
  ];
}

function outputPortText(entity: Entity): string[] {
  if (!isOutputPortEntity(entity)) {
    return [];
  }
  const { spec } = entity;
  const columns = (spec.columns ?? []).map(column =>
    [column.name, column.type, column.description].filter(Boolean).join(' '),
  );
  return [
    `Output port ${spec.name} (${spec.type}) of data product ${spec.dataProduct}`,
    ...(columns.length ? [`Columns: ${columns.join(' ; ')}`] : []),
  ];
}

/**
 * Shapes catalog entities into search documents: DataProducts and
 * OutputPorts get their schema, inputs and every column's name, type and
 * description in the document text, so searching for a column ("email")
 * finds the ports that have it. Other kinds are shaped as by default.
 */
export const dataProductsEntityTransformer: CatalogCollatorEntityTransformer =
  entity => {
    const document = defaultCatalogCollatorEntityTransformer(entity);
    const extra = [...dataProductText(entity), ...outputPortText(entity)];
    if (!extra.length) {
      return document;
    }
    return {
      ...document,
      text: [document.text, ...extra].filter(Boolean).join(' : '),
    };
  };
