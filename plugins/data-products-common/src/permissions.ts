import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The permission resource type of data products. A resource ref is the
 * DataProduct's entity ref, `dataproduct:<namespace>/<name>`.
 */
export const DATA_PRODUCT_RESOURCE_TYPE = 'data-product' as const;

/**
 * Creating a data product that does not exist yet. A basic permission: there
 * is no product to decide on before it exists.
 */
export const dataProductCreatePermission = createPermission({
  name: 'dataproduct.create',
  attributes: { action: 'create' },
});

/** Changing an existing data product: its definition, ports and provisioning. */
export const dataProductUpdatePermission = createPermission({
  name: 'dataproduct.update',
  attributes: { action: 'update' },
  resourceType: DATA_PRODUCT_RESOURCE_TYPE,
});

/** Rebuilding a data product's materialized output ports. */
export const dataProductRefreshPermission = createPermission({
  name: 'dataproduct.refresh',
  attributes: { action: 'update' },
  resourceType: DATA_PRODUCT_RESOURCE_TYPE,
});

/** Removing a data product: its schema, roles and ports leave the warehouse. */
export const dataProductDecommissionPermission = createPermission({
  name: 'dataproduct.decommission',
  attributes: { action: 'delete' },
  resourceType: DATA_PRODUCT_RESOURCE_TYPE,
});

/** Asking for read access to one of a data product's output ports. */
export const dataProductAccessRequestPermission = createPermission({
  name: 'dataproduct.access.request',
  attributes: { action: 'create' },
  resourceType: DATA_PRODUCT_RESOURCE_TYPE,
});

/** Approving (or denying) a request to read a data product's output ports, which grants the access. */
export const dataProductAccessApprovePermission = createPermission({
  name: 'dataproduct.access.approve',
  attributes: { action: 'update' },
  resourceType: DATA_PRODUCT_RESOURCE_TYPE,
});

/** Revoking a consumer's read access to a data product's output ports. */
export const dataProductAccessRevokePermission = createPermission({
  name: 'dataproduct.access.revoke',
  attributes: { action: 'update' },
  resourceType: DATA_PRODUCT_RESOURCE_TYPE,
});

/** Reading sample rows of a data product's output ports in the portal. */
export const dataProductPreviewPermission = createPermission({
  name: 'dataproduct.preview',
  attributes: { action: 'read' },
  resourceType: DATA_PRODUCT_RESOURCE_TYPE,
});

/** Every permission the data product plugins check. */
export const dataProductPermissions = [
  dataProductCreatePermission,
  dataProductUpdatePermission,
  dataProductRefreshPermission,
  dataProductDecommissionPermission,
  dataProductAccessRequestPermission,
  dataProductAccessApprovePermission,
  dataProductAccessRevokePermission,
  dataProductPreviewPermission,
];
