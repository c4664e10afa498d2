import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, type Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- dataproduct:register's dry run asks the registry
import dataProductsPlugin from '@dataproducts/plugin-data-products-backend';
import { warehouseServiceRef } from '@dataproducts/plugin-data-products-node';
import {
  createWarehouseTestDatabases,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  createActionTestWarehouse,
  demoEntities,
  demoOrganisation,
} from '../__testUtils__/warehouse';
import { exampleContract } from '../actions/contractImport.examples';
import { scaffolderModuleDataProducts } from '../module';

// The template "Create a data product from a data contract" as the portal
// runs it: the real scaffolder dry-runs templates/import-data-contract with
// a pasted contract, on a warehouse where the demo is provisioned. Every
// step's input is what the previous step output, and the plan is the real
// one.

jest.setTimeout(180_000);

const TEMPLATE = yaml.parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../../templates/import-data-contract/template.yaml',
    ),
    'utf8',
  ),
);

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

describe('the import-data-contract template', () => {
  let stop: () => Promise<void>;
  afterAll(() => stop?.());
  const databases = createWarehouseTestDatabases();
  let dryRun: (values: Record<string, unknown>) => Promise<{
    status: number;
    body: any;
  }>;

  beforeAll(async () => {
    const { warehouse, provisionDemo, cleanup } =
      await createActionTestWarehouse(databases);
    await provisionDemo();
    const backend = await startTestBackend({
      features: [
        createServiceFactory({
          service: coreServices.database,
          deps: {},
          factory: async () => {
            const knex = await databases.init(warehouseTestDatabaseId());
            return { getClient: async () => knex };
          },
        }),
        mockServices.rootConfig.factory({
          data: { backend: { reading: { allow: [] } } },
        }),
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
    dryRun = async values => {
      const response = await fetch(
        `http://localhost:${backend.server.port()}/api/scaffolder/v2/dry-run`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${mockCredentials.user.token()}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({
            template: TEMPLATE,
            values,
            directoryContents: [],
          }),
        },
      );
      return { status: response.status, body: await response.json() };
    };
  });

  // The step log, and the error that ended the run.
  const messages = (body: any) =>
    [
      ...(body.log ?? []).map((entry: any) => entry.body.message),
      body.error?.message ?? '',
    ].join('\n');

  it('plans the product a pasted contract defines, through every step', async () => {
    const { status, body } = await dryRun({
      contract: yaml.stringify(exampleContract),
    });
    expect(status).toBe(200);
    const log = messages(body);
    expect(log).toContain(
      'The contract defines data product sales-crm-contacts (schema sales_crm_contacts) with output port contacts (2 columns)',
    );
    expect(log).toMatch(/Would .*sales_crm_contacts/);
    expect(body.steps.map((s: { id: string }) => s.id)).toEqual([
      'import',
      'validate',
      'plan',
      'provision',
      'register',
    ]);
    expect(log).not.toMatch(/failed|error/i);
  });

  it('stops at the first step for a contract it cannot take, naming the field', async () => {
    const broken = structuredClone(exampleContract) as any;
    broken.schema[0].properties[1].physicalType = 'GEOGRAPHY';
    const { body } = await dryRun({ contract: yaml.stringify(broken) });
    expect(messages(body)).toContain(
      'schema[0].properties[1].physicalType: "GEOGRAPHY" is not a supported column type',
    );
    expect(messages(body)).not.toMatch(/Would /);
  });

  it('never reads a URL that backend.reading.allow does not allow', async () => {
    const { body } = await dryRun({
      url: 'http://169.254.169.254/latest/meta-data/contract.yaml',
    });
    expect(messages(body)).toMatch(/not allowed/i);
  });
});
