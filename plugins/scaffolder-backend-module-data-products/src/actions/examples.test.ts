import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, type Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- dataproduct:register's dry run asks the registry
import dataProductsPlugin from '@dataproducts/plugin-data-products-backend';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  createWarehouseTestDatabases,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import yaml from 'yaml';
import {
  createActionTestWarehouse,
  demoEntities,
  demoOrganisation,
} from '../__testUtils__/warehouse';
import { scaffolderModuleDataProducts } from '../module';
import { grantExamples, revokeExamples } from './access.examples';
import { examples as contractImportExamples } from './contractImport.examples';
import { examples as decommissionExamples } from './decommission.examples';
import { examples as provisionExamples } from './provision.examples';
import { examples as refreshExamples } from './refresh.examples';
import { examples as registerExamples } from './register.examples';

// Every example the template editor shows for our actions goes through the
// scaffolder's own dry run, on a warehouse where the demo is provisioned: the
// YAML parses, the scaffolder accepts each step's input against the action's
// input schema, and the action's dry run succeeds.

jest.setTimeout(180_000);

const EXAMPLES: Array<[string, TemplateExample[]]> = [
  ['dataproduct:provision', provisionExamples],
  ['dataproduct:refresh', refreshExamples],
  ['dataproduct:grant', grantExamples],
  ['dataproduct:revoke', revokeExamples],
  ['dataproduct:decommission', decommissionExamples],
  ['dataproduct:register', registerExamples],
  ['dataproduct:contract:import', contractImportExamples],
];

/** The demo entities as the registry publishes them (a template made them). */
const publishedDemo: Entity[] = demoEntities.map(entity => ({
  ...entity,
  metadata: {
    ...entity.metadata,
    annotations: {
      [ANNOTATION_LOCATION]: `data-products-registry:${String(
        entity.spec?.dataProduct ?? entity.metadata.name,
      )}`,
    },
  },
}));

/** A template whose steps are the example's. */
function templateOf(steps: unknown[]) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'action-example' },
    spec: { type: 'data-product', steps },
  };
}

describe("the actions' examples", () => {
  let stop: () => Promise<void>;
  // Declared before the test databases, whose own afterAll closes the
  // database: jest runs afterAll hooks in the order they were declared.
  afterAll(() => stop?.());
  const databases = createWarehouseTestDatabases();
  let dryRun: (steps: unknown[]) => Promise<{ status: number; error?: string }>;

  beforeAll(async () => {
    const { warehouse, provisionDemo, cleanup } =
      await createActionTestWarehouse(databases);
    await provisionDemo();
    const backend = await startTestBackend({
      features: [
        // Each plugin its own fresh database, as in production.
        createServiceFactory({
          service: coreServices.database,
          deps: {},
          factory: async () => {
            const knex = await databases.init(warehouseTestDatabaseId());
            return { getClient: async () => knex };
          },
        }),
        // The registry checks owners and domains against the organisation.
        catalogServiceMock.factory({
          entities: [...demoOrganisation, ...publishedDemo],
        }),
        createServiceFactory({
          service: warehouseServiceRef,
          deps: {},
          factory: () => warehouse,
        }),
        scaffolderPlugin,
        scaffolderModuleDataProducts,
        dataProductsPlugin,
      ],
    });
    stop = async () => {
      await backend.stop();
      await cleanup();
    };
    dryRun = async steps => {
      const response = await fetch(
        `http://localhost:${backend.server.port()}/api/scaffolder/v2/dry-run`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${mockCredentials.user.token()}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({
            template: templateOf(steps),
            values: {},
            directoryContents: [],
          }),
        },
      );
      const body = await response.json();
      return { status: response.status, error: body.error?.message };
    };
  });

  it.each(
    EXAMPLES.flatMap(([action, examples]) =>
      examples.map(example => [action, example.description, example] as const),
    ),
  )('%s: %s', async (action, _description, example) => {
    const { steps } = yaml.parse(example.example);
    expect(steps.map((step: { action: string }) => step.action)).toEqual([
      action,
    ]);
    expect(await dryRun(steps)).toEqual({ status: 200, error: undefined });
  });

  it('are checked: the dry run refuses an input that breaks the schema', async () => {
    expect(
      await dryRun([
        {
          id: 'plan',
          action: 'dataproduct:provision',
          input: {
            entityRef: 'dataproduct:default/sales-crm-customers',
            planOnly: 'yes',
          },
        },
      ]),
    ).toEqual({
      status: 400,
      error: expect.stringMatching(
        /^Invalid input passed to action dataproduct:provision, instance.planOnly is not of a type\(s\) boolean/,
      ),
    });
  });
});
