import type {
  AuthService,
  PermissionsRegistryService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, type Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_KIND,
  dataProductPermissions,
  getEntityNamespace,
  isSameEntityRef,
} from '@dataproducts/plugin-data-products-common';
import {
  createDataProductPermissionRules,
  dataProductPermissionResourceRef,
} from '@dataproducts/plugin-data-products-node';
import type { RegistryService } from '../registry';

/**
 * Loads DataProducts by entity ref for the permission framework: from the
 * catalog, else from the registry (a product registered moments ago that the
 * catalog does not show yet). Refs to anything but a DataProduct load nothing.
 */
async function loadProducts(
  refs: string[],
  options: {
    catalog: CatalogService;
    auth: Pick<AuthService, 'getOwnServiceCredentials'>;
    registry: Pick<RegistryService, 'list'>;
  },
): Promise<Array<Entity | undefined>> {
  const { items } = await options.catalog.getEntitiesByRefs(
    { entityRefs: refs },
    { credentials: await options.auth.getOwnServiceCredentials() },
  );
  const registered = items.every(Boolean) ? [] : await options.registry.list();
  return refs.map((ref, i) => {
    const found = items[i];
    if (found) {
      return found.kind === DATA_PRODUCT_KIND ? found : undefined;
    }
    const wanted = parseEntityRef(ref);
    return registered.find(item =>
      isSameEntityRef(wanted, {
        kind: item.product.kind,
        namespace: getEntityNamespace(item.product),
        name: item.product.metadata.name,
      }),
    )?.product;
  });
}

/**
 * Registers the data-product resource type with its permissions and rules,
 * so that a permission asked with a product's entity ref as `resourceRef`
 * (from any plugin, or from the app's `usePermission`) gets the policy's
 * conditions applied to that product.
 */
export function addDataProductResourceType(options: {
  permissionsRegistry: PermissionsRegistryService;
  adminGroups: readonly string[];
  catalog: CatalogService;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  registry: Pick<RegistryService, 'list'>;
}): void {
  const { permissionsRegistry, adminGroups, ...sources } = options;
  permissionsRegistry.addResourceType({
    resourceRef: dataProductPermissionResourceRef,
    permissions: dataProductPermissions,
    rules: Object.values(createDataProductPermissionRules({ adminGroups })),
    getResources: refs => loadProducts(refs, sources),
  });
}
