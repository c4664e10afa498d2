/*
 * The Data Product Portal backend: the Backstage catalog, scaffolder, search
 * and auth, plus the data product plugins and modules.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Auth: guest sign-in for local use.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

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

// Data products: live status, lineage and the self-service registry.
backend.add(import('@dataproducts/plugin-data-products-backend'));

// Permissions: allow all for now.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// Search on PostgreSQL, indexing the catalog.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// Products and ports are found by their columns' names and descriptions too.
backend.add(import('@dataproducts/plugin-search-backend-module-data-products'));

// Signals: push updates to the browser (used by the app's settings storage).
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
