import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { DATA_PRODUCT_RESOURCE_TYPE } from '@dataproducts/plugin-data-products-common';

/**
 * Asks the permission framework whether the caller may use a data-product
 * permission on a product (the resource ref is the DataProduct's entity ref;
 * conditional decisions are resolved by the framework). Anything but ALLOW
 * throws a `NotAllowedError` naming what was refused (`doing`, e.g.
 * `approve access to`), the product and the permission.
 */
export async function authorizeOnProduct(
  permissions: PermissionsService,
  request: {
    permission: ResourcePermission<typeof DATA_PRODUCT_RESOURCE_TYPE>;
    product: string;
    doing: string;
  },
  credentials: BackstageCredentials,
): Promise<void> {
  const { permission, product, doing } = request;
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef: product }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `You are not allowed to ${doing} ${product}: permission ${permission.name} was denied. Ask a member of the product's owner group or a data product administrator.`,
    );
  }
}
