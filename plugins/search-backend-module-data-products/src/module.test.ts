import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
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

describe('searchModuleDataProducts', () => {
  it('finds output ports by a column name through Backstage search', async () => {
    const { server } = await startTestBackend({
      features: [
        searchPlugin,
        searchModuleCatalogCollator,
        searchModuleDataProducts,
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
    const search = async (term: string) => {
      const response = await fetch(
        `http://localhost:${server.port()}/api/search/query?term=${term}`,
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
    expect(await search('marketing_360')).toContain(
      'DataProduct:/catalog/default/dataproduct/marketing-customer-360',
    );
  });
});
