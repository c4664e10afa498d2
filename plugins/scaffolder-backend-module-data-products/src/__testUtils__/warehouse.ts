import type { TestDatabases } from '@backstage/backend-test-utils';
import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  createTestWarehouse,
  DEMO_ORDER,
} from '@dataproducts/plugin-data-products-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createProvisionAction } from '../actions/provision';
import { createCatalogProductResolver } from '../actions/resolver';

/** The demo's products and ports (fixtures/demo-data-products.yaml) as the catalog holds them. */
export const demoEntities: Entity[] = parseAllDocuments(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../fixtures/demo-data-products.yaml'),
    'utf8',
  ),
).map(document => {
  const entity = document.toJSON() as Entity;
  return {
    ...entity,
    metadata: { namespace: DEFAULT_NAMESPACE, ...entity.metadata },
  };
});

/**
 * The engine's test warehouse (a fresh database with the demo's source
 * tables, 300 customers, and an engine whose roles have a unique prefix) with
 * the provision action reading products from a catalog of the demo entities.
 */
export async function createActionTestWarehouse(databases: TestDatabases) {
  const testWarehouse = await createTestWarehouse(databases, {
    customers: 300,
  });
  const warehouse = testWarehouse.engine;
  const provision = createProvisionAction({
    warehouse,
    resolver: createCatalogProductResolver(
      catalogServiceMock({ entities: demoEntities }),
    ),
  });
  return {
    ...testWarehouse,
    warehouse,
    provision,
    /** Provisions demo products through the action, by entity ref, in the order given. */
    provisionDemo: async (names = DEMO_ORDER) => {
      for (const name of names) {
        await provision.handler(
          createMockActionContext({
            input: { entityRef: `dataproduct:${DEFAULT_NAMESPACE}/${name}` },
          }),
        );
      }
    },
  };
}
