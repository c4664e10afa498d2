/**
 * Test utilities for plugins whose tests provision data products in a real
 * PostgreSQL warehouse: a seeded warehouse database and a ready engine,
 * role clean-up, catalog snapshots and the demo products.
 *
 * @packageDocumentation
 */
export {
  connectAs,
  createWarehouseTestDatabases,
  warehouseTestConnectionString,
  warehouseTestDatabaseId,
  WAREHOUSE_TEST_DATABASE_IDS,
} from './database';
export {
  catalogSnapshot,
  createTestWarehouse,
  dropRoles,
  uniqueRolePrefix,
} from './warehouse';
export type { TestWarehouse } from './warehouse';
export {
  DEMO_ORDER,
  demoRequest,
  loadDemo,
  originalCustomerActivityModel,
  provisionDemo,
} from './demo';
