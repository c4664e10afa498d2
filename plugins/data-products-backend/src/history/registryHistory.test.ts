import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DataProductAuthorizer } from '@dataproducts/plugin-data-products-node';
import {
  createTestWarehouse,
  demoRequest,
  provisionDemo,
  type TestWarehouse,
} from '@dataproducts/plugin-data-products-node/testUtils';
import { applyDatabaseMigrations } from '../database/migrations';
import { RegistryService, RegistryStore } from '../registry';
import { readEntities } from '../testUtils/demoCatalog';
import { HistoryRecorder } from './HistoryRecorder';
import { HistoryStore } from './HistoryStore';

jest.setTimeout(120_000);

const lou = mockCredentials.user('user:default/lou.logistics');

describe("decommissioning through the registry, in the product's History", () => {
  let warehouse: TestWarehouse;
  afterAll(async () => {
    await warehouse?.cleanup();
  });
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 20 });
    await provisionDemo(warehouse.engine);
  });

  async function registryWithHistory() {
    const knex = await databases.init('POSTGRES_18');
    await applyDatabaseMigrations(knex);
    const history = new HistoryRecorder({
      store: new HistoryStore(knex),
      auditor: mockServices.auditor.mock(),
    });
    const registry = new RegistryService({
      store: new RegistryStore(knex),
      warehouse: warehouse.engine,
      catalog: catalogServiceMock({
        entities: readEntities('catalog-info/org.yaml'),
      }),
      auth: mockServices.auth(),
      authorizer: new DataProductAuthorizer({
        permissions: mockServices.permissions({
          result: AuthorizeResult.ALLOW,
        }),
        adminGroups: [],
      }),
      history,
    });
    return { registry, history };
  }

  it('records who decommissioned a product, and what the warehouse refused', async () => {
    const { registry, history } = await registryWithHistory();
    const put = async (name: string) => {
      const { product, ports } = demoRequest(name);
      await registry.put(name, { product, ports }, lou);
    };
    // Marketing Customer 360 reads it in the warehouse, though not registered.
    await put('sales-crm-customers');
    await expect(
      registry.remove('sales-crm-customers', lou),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    await put('marketing-customer-360');
    await registry.remove('marketing-customer-360', lou);

    expect(
      await history.list('dataproduct:default/marketing-customer-360'),
    ).toEqual([
      expect.objectContaining({
        actor: 'user:default/lou.logistics',
        action: 'decommission',
        outcome: 'succeeded',
        detail:
          'Schema marketing_360 with its ports and roles dropped; removed from the registry',
      }),
    ]);
    expect(
      await history.list('dataproduct:default/sales-crm-customers'),
    ).toEqual([
      expect.objectContaining({
        action: 'decommission',
        outcome: 'failed',
        detail: expect.stringContaining(
          "Data product 'sales-crm-customers' is still read by 'marketing-customer-360'",
        ),
      }),
    ]);
  });
});
