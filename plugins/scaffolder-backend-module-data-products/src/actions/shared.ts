import { DEFAULT_NAMESPACE, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { DATA_PRODUCT_KIND } from '@dataproducts/plugin-data-products-common';

/** The entity name of a data product given as a name or an entity ref. */
export function productName(value: string, what = 'data product'): string {
  try {
    return parseEntityRef(value, {
      defaultKind: DATA_PRODUCT_KIND,
      defaultNamespace: DEFAULT_NAMESPACE,
    }).name;
  } catch (error) {
    throw new InputError(
      `Invalid ${what} ${JSON.stringify(value)}: ${
        (error as Error).message
      }. Give its name (sales-crm-customers) or its entity ref (dataproduct:default/sales-crm-customers)`,
    );
  }
}
