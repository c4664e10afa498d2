import type { Entity } from '@backstage/catalog-model';
import type { EntitiesSearchFilter } from '@backstage/plugin-catalog-node';
import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { DATA_PRODUCT_RESOURCE_TYPE } from '@dataproducts/plugin-data-products-common';

/**
 * The data-product permission resource: a DataProduct entity, referred to by
 * its entity ref. Rules translate to catalog filters, so a caller can list the
 * products a condition allows from the catalog.
 */
export const dataProductPermissionResourceRef = createPermissionResourceRef<
  Entity,
  EntitiesSearchFilter
>().with({
  pluginId: 'data-products',
  resourceType: DATA_PRODUCT_RESOURCE_TYPE,
});
