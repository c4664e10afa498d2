import {
  mockServices,
  type TestDatabases,
} from '@backstage/backend-test-utils';
import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  DataProductAuthorizer,
  type WarehouseService,
} from '@dataproducts/plugin-data-products-node';
import {
  createTestWarehouse,
  DEMO_ORDER,
} from '@dataproducts/plugin-data-products-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ProductAuthorization } from '../actions/authorization';
import { createProvisionAction } from '../actions/provision';
import { createCatalogProductResolver } from '@dataproducts/plugin-data-products-node';

/** The entities of a YAML file of the repository, as the catalog holds them. */
function repositoryEntities(file: string): Entity[] {
  return parseAllDocuments(
    fs.readFileSync(path.resolve(__dirname, '../../../..', file), 'utf8'),
  ).map(document => {
    const entity = document.toJSON() as Entity;
    return {
      ...entity,
      metadata: { namespace: DEFAULT_NAMESPACE, ...entity.metadata },
    };
  });
}

/** The demo's products and ports (fixtures/demo-data-products.yaml) as the catalog holds them. */
export const demoEntities: Entity[] = repositoryEntities(
  'fixtures/demo-data-products.yaml',
);

/** The demo organisation's domains, groups and users (catalog-info/org.yaml). */
export const demoOrganisation: Entity[] = repositoryEntities(
  'catalog-info/org.yaml',
);

/**
 * The actions' authorization for a task user the permission policy allows
 * everything, with the demo products' definitions.
 */
export function allowEverything(
  warehouse: Pick<WarehouseService, 'inspect'>,
): ProductAuthorization {
  return new ProductAuthorization({
    authorizer: new DataProductAuthorizer({
      permissions: mockServices.permissions(),
      adminGroups: [],
    }),
    definitions: async name =>
      demoEntities.find(
        e => e.kind === 'DataProduct' && e.metadata.name === name,
      ),
    warehouse,
  });
}

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
  const authorization = allowEverything(warehouse);
  const provision = createProvisionAction({
    warehouse,
    authorization,
    resolver: createCatalogProductResolver(
      catalogServiceMock({ entities: demoEntities }),
    ),
  });
  return {
    ...testWarehouse,
    warehouse,
    authorization,
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
