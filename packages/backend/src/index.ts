/*
 * The Data Product Portal backend: the Backstage catalog, scaffolder, search
 * and auth, plus the data product plugins and modules.
 */
import { createBackend } from '@backstage/backend-defaults';
import { authModuleDemoUserSignIn } from './modules/demoUserSignIn';
import { guestSignIn } from './modules/guestSignIn';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Auth. Guest and demo-user sign-in are for local development only: the
// production configuration removes both (see app-config.production.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(guestSignIn);
backend.add(authModuleDemoUserSignIn);

// Catalog, with the Template kind.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// DataProduct and OutputPort kinds, and the self-service registry's products.
backend.add(
  import('@dataproducts/plugin-catalog-backend-module-data-products'),
);

// Scaffolder.
backend.add(import('@backstage/plugin-scaffolder-backend'));
// dataproduct:* actions that provision products in the warehouse.
backend.add(
  import('@dataproducts/plugin-scaffolder-backend-module-data-products'),
);

// Data products: live status, lineage, the self-service registry, access
// requests and each product's History.
backend.add(import('@dataproducts/plugin-data-products-backend'));

// Permissions: owners manage their data products, admin groups manage all
// (dataProducts.permissions.adminGroups); other plugins' permissions stay
// allowed, as under the allow-all policy this replaces.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@dataproducts/plugin-permission-backend-module-data-products'),
);

// Search on PostgreSQL, indexing the catalog.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// Products and ports are found by their columns' names and descriptions too.
backend.add(import('@dataproducts/plugin-search-backend-module-data-products'));

// Notifications (access requests and decisions, access about to end), pushed
// to the browser through signals (also used by the app's settings storage).
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
