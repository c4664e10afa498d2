import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DataProductAuthorizer } from './DataProductAuthorizer';

/**
 * Decides data-product permissions for a plugin or module with its own
 * permissions service; admin groups from `dataProducts.permissions.adminGroups`.
 */
export const dataProductAuthorizerServiceRef =
  createServiceRef<DataProductAuthorizer>({
    id: 'dataproducts.authorizer',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          permissions: coreServices.permissions,
        },
        factory: ({ config, permissions }) =>
          DataProductAuthorizer.fromConfig(config, { permissions }),
      }),
  });
