import { Entity } from '@backstage/catalog-model';
import {
  CatalogCollatorEntityTransformer,
  defaultCatalogCollatorEntityTransformer,
} from '@backstage/plugin-search-backend-module-catalog';
import {
  isDataProductEntity,
  isOutputPortEntity,
  type OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import { ProductDirectory } from './productDirectory';

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

/** A port's document: titled with its product, its text led by the product and its domain. */
function outputPortDocument(
  entity: OutputPortEntityV1alpha1,
  document: ReturnType<CatalogCollatorEntityTransformer>,
  directory: ProductDirectory,
): ReturnType<CatalogCollatorEntityTransformer> {
  const { spec } = entity;
  const product = directory.describe(
    spec.dataProduct,
    entity.metadata.namespace,
  );
  const columns = (spec.columns ?? []).map(column =>
    [column.name, column.type, column.description].filter(Boolean).join(' '),
  );
  const about = `Output port ${spec.name} (${spec.type}) of data product ${
    product.title
  }${product.domain ? ` in the ${product.domain} domain` : ''}`;
  return {
    ...document,
    title: `${spec.name} (${product.title})`,
    text: [
      about,
      document.text,
      ...(columns.length ? [`Columns: ${columns.join(' ; ')}`] : []),
    ]
      .filter(Boolean)
      .join(' : '),
  };
}

/**
 * Creates the transformer that shapes catalog entities into search
 * documents: DataProducts and OutputPorts get their schema, inputs and every
 * column's name, type and description in the document text, so searching
 * for a column ("email") finds the ports that have it. A port's result is
 * titled with its product ("customers (Sales CRM Customers)") and its text
 * starts with the product and its domain, from the directory. Other kinds
 * are shaped as by default.
 */
export function createDataProductsEntityTransformer(
  directory: ProductDirectory = new ProductDirectory(),
): CatalogCollatorEntityTransformer {
  return entity => {
    const document = defaultCatalogCollatorEntityTransformer(entity);
    if (isOutputPortEntity(entity)) {
      return outputPortDocument(entity, document, directory);
    }
    const extra = dataProductText(entity);
    if (!extra.length) {
      return document;
    }
    return {
      ...document,
      text: [document.text, ...extra].filter(Boolean).join(' : '),
    };
  };
}

/** The transformer without product titles: ports name their product by its entity name. */
export const dataProductsEntityTransformer: CatalogCollatorEntityTransformer =
  createDataProductsEntityTransformer();
