import { stringifyEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef, useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  dataProductDecommissionPermission,
  dataProductUpdatePermission,
} from '@dataproducts/plugin-data-products-common';
import { LIFECYCLE_ACTION_PARAM, type LifecycleAction } from './lifecycle';

function useLifecycleMenuItem(action: LifecycleAction, title: string) {
  const { entity } = useEntity();
  const entityRoute = useRouteRef(entityRouteRef);
  const { allowed } = usePermission({
    permission:
      action === 'delete'
        ? dataProductDecommissionPermission
        : dataProductUpdatePermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const href = `${entityRoute({
    kind: entity.kind.toLocaleLowerCase('en-US'),
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  })}?${LIFECYCLE_ACTION_PARAM}=${action}`;
  return { title, href, disabled: !allowed };
}

/** The "Delete data product…" entry of a product's menu: opens the Delete dialog on its page. */
export function useDeleteMenuItem() {
  return useLifecycleMenuItem('delete', 'Delete data product…');
}

/** The "Deprecate…" entry of a product's menu: opens the Deprecate dialog on its page. */
export function useDeprecateMenuItem() {
  return useLifecycleMenuItem('deprecate', 'Deprecate…');
}
