import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Registering or updating a self-service data product in the registry (and so
 * in the catalog). Templates check it on behalf of the user who runs them.
 */
export const dataProductRegistryUpdatePermission = createPermission({
  name: 'dataproduct.registry.update',
  attributes: { action: 'update' },
});

/**
 * Removing a self-service data product from the registry, which decommissions
 * it in the warehouse.
 */
export const dataProductRegistryDeletePermission = createPermission({
  name: 'dataproduct.registry.delete',
  attributes: { action: 'delete' },
});

/** Every permission the data product plugins check. */
export const dataProductPermissions = [
  dataProductRegistryUpdatePermission,
  dataProductRegistryDeletePermission,
];
