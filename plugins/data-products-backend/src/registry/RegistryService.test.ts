import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  outputPortEntityName,
  type DataProductEntityV1alpha1,
  type OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import { DataProductAuthorizer } from '@dataproducts/plugin-data-products-node';
import {
  createTestWarehouse,
  demoRequest,
  provisionDemo,
  type TestWarehouse,
} from '@dataproducts/plugin-data-products-node/testUtils';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { readEntities } from '../testUtils/demoCatalog';
import { RegistryService } from './RegistryService';
import { RegistryStore } from './RegistryStore';

jest.setTimeout(120_000);

function product(
  name: string,
  inputs: string[] = [],
  description = 'A product',
): DataProductEntityV1alpha1 {
  return {
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, description },
    spec: {
      type: inputs.length ? 'consumer-aligned' : 'source-aligned',
      lifecycle: 'production',
      owner: 'group:sales',
      domain: 'sales',
      schema: name.replace(/-/g, '_'),
      ...(inputs.length ? { inputs } : {}),
    },
  };
}

function port(productName: string, name: string): OutputPortEntityV1alpha1 {
  return {
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'OutputPort',
    metadata: { name: outputPortEntityName(productName, name) },
    spec: {
      dataProduct: productName,
      name,
      type: 'postgres-table',
      source: 'sources.crm_customers',
      columns: [{ name: 'id', type: 'INTEGER' }],
    },
  };
}

async function migratedStore(knex: Knex): Promise<RegistryStore> {
  await applyDatabaseMigrations(knex);
  return new RegistryStore(knex);
}

const guest = mockCredentials.user('user:default/guest');
describe('RegistryService', () => {
  let warehouse: TestWarehouse;
  // Before TestDatabases registers its own clean-up, which closes the connections.
  afterAll(async () => {
    await warehouse?.cleanup();
  });
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 20 });
    await provisionDemo(warehouse.engine);
  });

  /** A registry on the demo organisation's catalog and the provisioned demo warehouse. */
  async function createRegistry(
    knex: Knex,
    options: { entities?: Entity[]; allow?: boolean } = {},
  ): Promise<RegistryService> {
    return new RegistryService({
      store: await migratedStore(knex),
      warehouse: warehouse.engine,
      catalog: catalogServiceMock({
        entities: [
          ...readEntities('catalog-info/org.yaml'),
          ...(options.entities ?? []),
        ],
      }),
      auth: mockServices.auth(),
      authorizer: new DataProductAuthorizer({
        permissions: mockServices.permissions({
          result:
            options.allow === false
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        }),
        adminGroups: [],
      }),
    });
  }

  it('stores products so that a restarted backend still has them', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = await createRegistry(knex);
    const { product: crm, ports } = demoRequest('sales-crm-customers');
    const first = await registry.put(
      'sales-crm-customers',
      { product: crm, ports },
      guest,
    );
    expect(first.created).toBe(true);

    // A second replica (or the same backend after a restart) on the same database.
    const restarted = await createRegistry(knex);
    const items = await restarted.list();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      product: { metadata: { name: 'sales-crm-customers' } },
      ports: [{ spec: { name: 'customers' } }],
      status: 'provisioned',
      registeredBy: 'user:default/guest',
    });
  });

  it('reads the status from the warehouse, never from the body', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = await createRegistry(knex);
    const { item } = await registry.put(
      'sales-crm',
      {
        product: product('sales-crm'),
        ports: [port('sales-crm', 'customers')],
      },
      guest,
    );
    expect(item).toMatchObject({
      status: 'not-provisioned',
      error:
        'The warehouse has no schema sales_crm made by the portal for sales-crm; provision it with dataproduct:provision',
    });
    await expect(
      registry.put(
        'sales-crm',
        {
          product: product('sales-crm'),
          ports: [port('sales-crm', 'customers')],
          status: 'provisioned',
        },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Invalid data product "sales-crm": "status" is not part of a registration: send { product, ports } (the status is read from the warehouse)',
    });
    expect((await registry.get('sales-crm')).status).toBe('not-provisioned');
  });

  it('updates a product registered again under the same name', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = await createRegistry(knex);
    const first = await registry.put(
      'sales-crm',
      {
        product: product('sales-crm'),
        ports: [port('sales-crm', 'customers')],
      },
      guest,
    );
    const second = await registry.put(
      'sales-crm',
      {
        product: product('sales-crm', [], 'Updated'),
        ports: [port('sales-crm', 'customers'), port('sales-crm', 'emails')],
      },
      guest,
    );
    expect(second.created).toBe(false);
    expect(second.item.createdAt).toBe(first.item.createdAt);
    const items = await registry.list();
    expect(items).toHaveLength(1);
    expect(items[0].product.metadata.description).toBe('Updated');
    expect(items[0].ports.map(p => p.spec.name)).toEqual([
      'customers',
      'emails',
    ]);
  });

  it('reports an update as an update even within the same millisecond', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = await createRegistry(knex);
    const request = {
      product: product('sales-crm'),
      ports: [port('sales-crm', 'customers')],
    };
    // Freeze the clock only: timers and I/O keep running.
    jest.useFakeTimers({
      now: new Date('2026-01-02T03:04:05.678Z'),
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    try {
      expect((await registry.put('sales-crm', request, guest)).created).toBe(
        true,
      );
      expect((await registry.put('sales-crm', request, guest)).created).toBe(
        false,
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects invalid bodies naming each problem', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = await createRegistry(knex);
    await expect(
      registry.put(
        'sales-crm',
        {
          product: product('other-name'),
          ports: [port('someone-else', 'customers')],
        },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /metadata.name "other-name" must equal the registry name "sales-crm".*spec.dataProduct "someone-else" must name the product "sales-crm"/,
      ),
    });
    const badPort = port('sales-crm', 'customers');
    badPort.spec.columns = [{ name: 'id', type: 'NOT A TYPE' }];
    await expect(
      registry.put(
        'sales-crm',
        { product: product('sales-crm'), ports: [badPort] },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('ports[0]: spec.columns[0].type'),
    });
    await expect(
      registry.put('Bad Name', { product: {}, ports: [] }, guest),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Invalid product name "Bad Name": must be a catalog entity name: 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
    });
    const misnamedPort = port('sales-crm', 'customers');
    misnamedPort.metadata.name = 'sales crm customers';
    await expect(
      registry.put(
        'sales-crm',
        { product: product('sales-crm'), ports: [misnamedPort] },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'ports[0]: metadata.name: "sales crm customers" must be a catalog entity name',
      ),
    });
    await expect(registry.list()).resolves.toEqual([]);
  });

  it('refuses NUL characters, wrong types and port names not derived from the product', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = await createRegistry(knex);
    const withNul = product('sales-crm', [], 'Customers\u0000 and more');
    await expect(
      registry.put(
        'sales-crm',
        { product: withNul, ports: [port('sales-crm', 'customers')] },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Invalid data product "sales-crm": product.metadata.description must not hold a NUL character (\\u0000)',
    });
    for (const body of [
      { product: 'sales-crm', ports: {} },
      { product: { metadata: 5, spec: [] }, ports: [7] },
      { product: { ...product('sales-crm'), spec: null }, ports: [null] },
      [],
    ]) {
      await expect(
        registry.put('sales-crm', body, guest),
      ).rejects.toMatchObject({ name: 'InputError' });
    }
    const renamed = port('sales-crm', 'customers');
    renamed.metadata.name = 'marketing-customer-360-customer-activity';
    await expect(
      registry.put(
        'sales-crm',
        { product: product('sales-crm'), ports: [renamed] },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Invalid data product "sales-crm": ports[0] metadata.name "marketing-customer-360-customer-activity" must be "sales-crm-customers": a port\'s entity name is its product\'s name and its port name',
    });
    await expect(registry.list()).resolves.toEqual([]);
  });

  it('refuses an owner or a domain the catalog does not have, naming it', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = await createRegistry(knex);
    const nowhere = product('sales-crm');
    nowhere.spec.owner = 'group:ghosts';
    nowhere.spec.domain = 'atlantis';
    await expect(
      registry.put(
        'sales-crm',
        { product: nowhere, ports: [port('sales-crm', 'customers')] },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Invalid data product "sales-crm": spec.owner group:default/ghosts is not in the catalog; spec.domain domain:default/atlantis is not in the catalog; name an existing Group (or User) and Domain',
    });
    await expect(registry.list()).resolves.toEqual([]);
  });

  it("refuses a schema that is another product's, naming that product", async () => {
    const knex = await databases.init('POSTGRES_18');
    const { product: yamlProduct } = demoRequest('sales-erp-orders');
    const registry = await createRegistry(knex, {
      entities: [{ ...yamlProduct, metadata: { ...yamlProduct.metadata } }],
    });
    await registry.put(
      'sales-crm',
      {
        product: product('sales-crm'),
        ports: [port('sales-crm', 'customers')],
      },
      guest,
    );
    const thief = product('thief');
    thief.spec.schema = 'sales_crm';
    await expect(
      registry.put(
        'thief',
        { product: thief, ports: [port('thief', 'x')] },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Schema sales_crm is held by data product dataproduct:default/sales-crm; give thief a schema of its own',
    });
    thief.spec.schema = 'sales_erp';
    await expect(
      registry.put(
        'thief',
        { product: thief, ports: [port('thief', 'x')] },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Schema sales_erp is held by data product dataproduct:default/sales-erp-orders; give thief a schema of its own',
    });
    expect((await registry.list()).map(i => i.product.metadata.name)).toEqual([
      'sales-crm',
    ]);
  });

  it("refuses entity names that are another product's, naming that product", async () => {
    const knex = await databases.init('POSTGRES_18');
    const { product: m360, ports: m360Ports } = demoRequest(
      'marketing-customer-360',
    );
    const registry = await createRegistry(knex, {
      entities: [m360, ...m360Ports],
    });
    // "marketing" with the port "customer-360-customer_activity" derives
    // the entity name of Marketing Customer 360's port.
    const squatter = product('marketing');
    squatter.spec.schema = 'squatter';
    const squatterPort = port('marketing', 'customer_360_customer_activity');
    squatterPort.metadata.name = 'marketing-customer-360-customer-activity';
    await expect(
      registry.put(
        'marketing',
        { product: squatter, ports: [squatterPort] },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Cannot register data product marketing: outputport:default/marketing-customer-360-customer-activity belongs to data product dataproduct:default/marketing-customer-360; choose other product or port names',
    });

    await registry.put(
      'sales',
      { product: product('sales'), ports: [port('sales', 'crm_customers')] },
      guest,
    );
    const crm = product('sales-crm');
    await expect(
      registry.put(
        'sales-crm',
        { product: crm, ports: [port('sales-crm', 'customers')] },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Cannot register data product sales-crm: outputport:default/sales-crm-customers belongs to data product dataproduct:default/sales; choose other product or port names',
    });
    await expect(
      registry.put(
        'marketing-customer-360',
        {
          product: { ...m360, metadata: { ...m360.metadata } },
          ports: m360Ports,
        },
        guest,
      ),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect((await registry.list()).map(i => i.product.metadata.name)).toEqual([
      'sales',
    ]);
  });

  it('stores nothing when the permission policy denies the caller', async () => {
    const knex = await databases.init('POSTGRES_18');
    const allowed = await createRegistry(knex);
    await allowed.put(
      'sales-crm',
      {
        product: product('sales-crm'),
        ports: [port('sales-crm', 'customers')],
      },
      guest,
    );
    const denied = await createRegistry(knex, { allow: false });
    await expect(
      denied.put(
        'sales-crm',
        {
          product: product('sales-crm', [], 'Overwritten'),
          ports: [port('sales-crm', 'customers')],
        },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'permission dataproduct.update was denied',
      ),
    });
    await expect(
      denied.put(
        'other',
        { product: product('other'), ports: [port('other', 'customers')] },
        guest,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'permission dataproduct.create was denied',
      ),
    });
    await expect(denied.remove('sales-crm', guest)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'permission dataproduct.decommission was denied',
      ),
    });
    const items = await allowed.list();
    expect(items.map(i => i.product.metadata.description)).toEqual([
      'A product',
    ]);
  });

  it('refuses to remove a product with consumers, then removes it', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = await createRegistry(knex);
    await registry.put(
      'sales-crm',
      {
        product: product('sales-crm'),
        ports: [port('sales-crm', 'customers')],
      },
      guest,
    );
    await registry.put(
      'marketing-360',
      {
        product: product('marketing-360', ['outputport:sales-crm-customers']),
        ports: [port('marketing-360', 'activity')],
      },
      guest,
    );

    await expect(registry.remove('sales-crm', guest)).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Data product sales-crm still has consumers (marketing-360); remove them first',
    });
    expect(await registry.list()).toHaveLength(2);

    await registry.remove('marketing-360', guest);
    await registry.remove('sales-crm', guest);
    expect(await registry.list()).toEqual([]);
    await expect(registry.remove('sales-crm', guest)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('counts a consumer whose input is written without a kind', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = await createRegistry(knex);
    await registry.put(
      'sales-crm',
      {
        product: product('sales-crm'),
        ports: [port('sales-crm', 'customers')],
      },
      guest,
    );
    await registry.put(
      'marketing-360',
      {
        product: product('marketing-360', ['sales-crm-customers']),
        ports: [port('marketing-360', 'activity')],
      },
      guest,
    );
    await expect(registry.remove('sales-crm', guest)).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Data product sales-crm still has consumers (marketing-360); remove them first',
    });
  });

  it('keeps the product registered when the warehouse refuses to decommission it', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = await createRegistry(knex);
    // Marketing Customer 360 reads it in the warehouse, though not registered here.
    const { product: crm, ports } = demoRequest('sales-crm-customers');
    await registry.put('sales-crm-customers', { product: crm, ports }, guest);
    await expect(
      registry.remove('sales-crm-customers', guest),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        "Data product 'sales-crm-customers' is still read by 'marketing-customer-360'",
      ),
    });
    expect(await registry.list()).toHaveLength(1);
  });

  it('writes nothing over a product registered by someone else while the registration was checked', async () => {
    const knex = await databases.init('POSTGRES_18');
    const store = await migratedStore(knex);
    const catalog = catalogServiceMock({
      entities: readEntities('catalog-info/org.yaml'),
    });
    // Another caller registers the same new name (for another team) between
    // this registration's permission check and its write: the catalog
    // lookups of the checks are where the race window is.
    let raced = false;
    let racer = 'marketing';
    const racing: typeof catalog.getEntitiesByRefs = async (...args) => {
      if (!raced) {
        raced = true;
        const theirs = product('contested');
        theirs.spec.owner = `group:${racer}`;
        theirs.spec.domain = racer;
        await store.upsert({
          product: theirs,
          ports: [port('contested', 'rows')],
          status: 'not-provisioned',
        });
      }
      return catalog.getEntitiesByRefs(...args);
    };
    const racingCatalog = new Proxy(catalog, {
      get(target, property) {
        if (property === 'getEntitiesByRefs') return racing;
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const registry = new RegistryService({
      store,
      warehouse: warehouse.engine,
      catalog: racingCatalog,
      auth: mockServices.auth(),
      authorizer: new DataProductAuthorizer({
        permissions: mockServices.permissions({
          result: AuthorizeResult.ALLOW,
        }),
        adminGroups: [],
      }),
    });
    const message =
      'Data product contested was registered, removed or given another owner while this registration was checked; nothing was registered. Send it again.';
    await expect(
      registry.put(
        'contested',
        { product: product('contested'), ports: [port('contested', 'rows')] },
        guest,
      ),
    ).rejects.toMatchObject({ name: 'ConflictError', message });
    expect((await store.get('contested'))?.product.spec.owner).toBe(
      'group:marketing',
    );

    // The same for a batch, updating a product whose owner changes in between.
    raced = false;
    racer = 'logistics';
    await expect(
      registry.putMany(
        {
          items: [
            {
              product: product('contested'),
              ports: [port('contested', 'rows')],
            },
          ],
        },
        guest,
      ),
    ).rejects.toMatchObject({ name: 'ConflictError', message });
    expect((await store.get('contested'))?.product.spec.owner).toBe(
      'group:logistics',
    );
    expect((await registry.changes(0, 10)).changes).toHaveLength(2);
  });

  describe('many products at once (putMany)', () => {
    const item = (name: string, ports = ['rows']) => ({
      product: product(name),
      ports: ports.map(p => port(name, p)),
    });

    it('registers every product in one transaction, with a change each, and reads each status from the warehouse', async () => {
      const knex = await databases.init('POSTGRES_18');
      const registry = await createRegistry(knex);
      const { product: crm, ports } = demoRequest('sales-crm-customers');
      const { items } = await registry.putMany(
        { items: [item('leads-a'), { product: crm, ports }, item('leads-b')] },
        guest,
      );
      expect(
        items.map(r => [
          r.created,
          r.item.product.metadata.name,
          r.item.status,
        ]),
      ).toEqual([
        [true, 'leads-a', 'not-provisioned'],
        [true, 'sales-crm-customers', 'provisioned'],
        [true, 'leads-b', 'not-provisioned'],
      ]);
      expect(items[0].item.error).toBe(
        'The warehouse has no schema leads_a made by the portal for leads-a; provision it with dataproduct:provision',
      );
      const { changes } = await registry.changes(0, 10);
      expect(changes.map(c => [c.name, c.op])).toEqual([
        ['leads-a', 'upsert'],
        ['sales-crm-customers', 'upsert'],
        ['leads-b', 'upsert'],
      ]);
      // Again: updates, each a change of its own.
      const again = await registry.putMany(
        { items: [item('leads-a'), item('leads-c')] },
        guest,
      );
      expect(again.items.map(r => r.created)).toEqual([false, true]);
      expect((await registry.changes(0, 10)).changes).toHaveLength(5);
    });

    it('stores nothing when one product does not fit, naming every clash', async () => {
      const knex = await databases.init('POSTGRES_18');
      const { product: yamlProduct } = demoRequest('sales-erp-orders');
      const registry = await createRegistry(knex, { entities: [yamlProduct] });
      await registry.put('sales-crm', item('sales-crm'), guest);

      const stolen = item('thief');
      stolen.product.spec.schema = 'sales_crm';
      const twin = item('twin');
      twin.product.spec.schema = 'leads_a';
      const catalogued = item('erp-copy');
      catalogued.product.spec.schema = 'sales_erp';
      // "leads" with port "a_rows" and "leads-a" with port "rows" are both
      // outputport:default/leads-a-rows.
      const clash = item('leads', []);
      clash.ports = [{ ...port('leads', 'a_rows') }];
      clash.ports[0].metadata.name = 'leads-a-rows';
      await expect(
        registry.putMany(
          { items: [item('leads-a'), stolen, twin, catalogued, clash] },
          guest,
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'Cannot register these data products: schema leads_a is asked for by leads-a and twin; give each product a schema of its own; ' +
          'schema sales_crm of thief is held by data product dataproduct:default/sales-crm; give thief a schema of its own; ' +
          'schema sales_erp of erp-copy is held by data product dataproduct:default/sales-erp-orders; give erp-copy a schema of its own; ' +
          'outputport:default/leads-a-rows is a port of both leads-a and leads; choose other product, port or schema names',
      });
      const ownerless = item('ownerless');
      ownerless.product.spec.owner = 'group:nobody';
      await expect(
        registry.putMany({ items: [item('leads-a'), ownerless] }, guest),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          'Invalid data products: "ownerless" spec.owner group:default/nobody is not in the catalog; name an existing Group (or User) and Domain',
      });
      expect((await registry.list()).map(i => i.product.metadata.name)).toEqual(
        ['sales-crm'],
      );
      expect((await registry.changes(0, 10)).changes).toHaveLength(1);
    });

    it("refuses bodies that are not a batch, naming each item's problem", async () => {
      const knex = await databases.init('POSTGRES_18');
      const registry = await createRegistry(knex);
      const refused = async (body: unknown) => {
        const error = await registry.putMany(body, guest).catch(e => e);
        expect(error.name).toBe('InputError');
        return error.message as string;
      };
      expect(await refused([item('a')])).toBe(
        'Invalid batch of data products: send a JSON object { items: [{ product, ports }, ...] }',
      );
      expect(await refused({ items: [] })).toBe(
        'Invalid batch of data products: items has 0 registrations; send 1 to 100 per request',
      );
      expect(
        await refused({
          items: Array.from({ length: 101 }, (_, i) => item(`p-${i}`)),
        }),
      ).toBe(
        'Invalid batch of data products: items has 101 registrations; send 1 to 100 per request',
      );
      const bad = item('bad');
      (bad.product.spec as any).schema = 'pg_catalog';
      expect(
        await refused({
          items: [
            item('a'),
            item('A'),
            'x',
            bad,
            { ...item('b'), status: 'provisioned' },
          ],
          dryRun: true,
        }),
      ).toMatch(
        /^Invalid batch of data products, nothing registered: "dryRun" is not part of a batch: send \{ items \}; items\[1\] registers "A" again \(as items\[0\] does\); send each product once; items\[2\] must be \{ product, ports \} with a string product.metadata.name; items\[3\]: Invalid data product "bad": .*pg_catalog.*; items\[4\]: Invalid data product "b": "status" is not part of a registration/,
      );
      expect(await registry.list()).toEqual([]);
    });

    it('stores nothing when the policy denies the caller one product', async () => {
      const knex = await databases.init('POSTGRES_18');
      const registry = await createRegistry(knex, { allow: false });
      await expect(
        registry.putMany({ items: [item('a'), item('b')] }, guest),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'You are not allowed to register data products a, b (owned by group:sales): permission dataproduct.create or dataproduct.update was denied; nothing was registered. Name one of your groups in spec.owner, or ask a data product administrator.',
      });
      expect(await registry.list()).toEqual([]);
    });
  });
});
