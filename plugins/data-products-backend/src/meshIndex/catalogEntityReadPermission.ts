import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The catalog's permission to read an entity, as
 * `@backstage/plugin-catalog-common/alpha` defines it (policies match
 * permissions by name, attributes and resource type): what decides whether
 * a caller may see a node of the mesh index.
 */
export const catalogEntityReadPermission = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
