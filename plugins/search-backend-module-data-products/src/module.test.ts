import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import searchModulePgEngine from '@backstage/plugin-search-backend-module-pg';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { searchModuleDataProducts } from './module';

jest.setTimeout(60_000);

const DEMO_FIXTURE = path.resolve(
  __dirname,
  '../../../fixtures/demo-data-products.yaml',
);

const demoEntities: Entity[] = parseAllDocuments(
  fs.readFileSync(DEMO_FIXTURE, 'utf8'),
).map(document => document.toJSON());

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

async function startSearch(engine: 'lunr' | 'pg') {
  const engineFeatures =
    engine === 'pg'
      ? [
          searchModulePgEngine,
          mockServices.database.factory({
            knex: await databases.init('POSTGRES_18'),
          }),
        ]
      : [];
  return startTestBackend({
    features: [
      searchPlugin,
      searchModuleCatalogCollator,
      searchModuleDataProducts,
      ...engineFeatures,
      catalogServiceMock.factory({ entities: demoEntities }),
      // Build the search index once, right when the search plugin schedules it.
      mockServices.scheduler.mock({
        createScheduledTaskRunner: () => ({
          run: async task => {
            await task.fn(new AbortController().signal);
          },
        }),
      }).factory,
      mockServices.rootConfig.factory({
        data: { permission: { enabled: false } },
      }),
    ],
  });
}

describe('searchModuleDataProducts', () => {
  it.each(['lunr', 'pg'] as const)(
    'finds output ports by a column name through Backstage search (%s engine)',
    async engine => {
      const backend = await startSearch(engine);
      try {
        const search = async (term: string) => {
          const response = await fetch(
            `http://localhost:${backend.server.port()}/api/search/query?term=${term}`,
          );
          expect(response.status).toBe(200);
          const body = await response.json();
          return body.results
            .map((r: any) => `${r.document.kind}:${r.document.location}`)
            .sort();
        };

        await waitFor(async () =>
          (await search('email')).length ? true : undefined,
        );
        expect(await search('email')).toEqual([
          'OutputPort:/catalog/default/outputport/marketing-customer-360-customer-activity',
          'OutputPort:/catalog/default/outputport/sales-crm-customers-customers',
        ]);
        expect(await search('delivery_status')).toEqual(
          expect.arrayContaining([
            'OutputPort:/catalog/default/outputport/logistics-wms-shipments-shipments',
            'OutputPort:/catalog/default/outputport/marketing-customer-360-customer-activity',
          ]),
        );
        // A port's result names its product by title, and the product's domain.
        const response = await fetch(
          `http://localhost:${backend.server.port()}/api/search/query?term=first_name`,
        );
        const [crm] = (await response.json()).results.filter(
          (r: any) =>
            r.document.location ===
            '/catalog/default/outputport/sales-crm-customers-customers',
        );
        expect(crm.document.title).toBe('customers (Sales CRM Customers)');
        expect(crm.document.text).toContain(
          'of data product Sales CRM Customers in the sales domain',
        );
        expect(await search('marketing_360')).toContain(
          'DataProduct:/catalog/default/dataproduct/marketing-customer-360',
        );
      } finally {
        await backend.stop();
      }
    },
  );
});
