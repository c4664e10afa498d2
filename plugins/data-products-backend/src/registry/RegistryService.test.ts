import { TestDatabases } from '@backstage/backend-test-utils';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { RegistryService } from './RegistryService';
import { RegistryStore } from './RegistryStore';

jest.setTimeout(60_000);

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
    metadata: { name: `${productName}-${name}` },
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

describe('RegistryService', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  it('stores products so that a restarted backend still has them', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = new RegistryService({
      store: await migratedStore(knex),
    });
    const first = await registry.put(
      'sales-crm',
      {
        product: product('sales-crm'),
        ports: [port('sales-crm', 'customers')],
      },
      'user:default/guest',
    );
    expect(first.created).toBe(true);

    // A second replica (or the same backend after a restart) on the same database.
    const restarted = new RegistryService({
      store: await migratedStore(knex),
    });
    const items = await restarted.list();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      product: { metadata: { name: 'sales-crm' } },
      ports: [{ spec: { name: 'customers' } }],
      status: 'provisioned',
      registeredBy: 'user:default/guest',
    });
  });

  it('updates a product registered again under the same name', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = new RegistryService({
      store: await migratedStore(knex),
    });
    const first = await registry.put('sales-crm', {
      product: product('sales-crm'),
      ports: [port('sales-crm', 'customers')],
    });
    const second = await registry.put('sales-crm', {
      product: product('sales-crm', [], 'Updated'),
      ports: [port('sales-crm', 'customers'), port('sales-crm', 'emails')],
    });
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
    const registry = new RegistryService({
      store: await migratedStore(knex),
    });
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
      expect((await registry.put('sales-crm', request)).created).toBe(true);
      expect((await registry.put('sales-crm', request)).created).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects invalid bodies naming each problem', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = new RegistryService({
      store: await migratedStore(knex),
    });
    await expect(
      registry.put('sales-crm', {
        product: product('other-name'),
        ports: [port('someone-else', 'customers')],
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /metadata.name "other-name" must equal the registry name "sales-crm".*spec.dataProduct "someone-else" must name the product "sales-crm"/,
      ),
    });
    const badPort = port('sales-crm', 'customers');
    badPort.spec.columns = [{ name: 'id', type: 'NOT A TYPE' }];
    await expect(
      registry.put('sales-crm', {
        product: product('sales-crm'),
        ports: [badPort],
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('ports[0]: spec.columns[0].type'),
    });
    await expect(
      registry.put('Bad Name', { product: {}, ports: [] }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Invalid product name "Bad Name": must be a catalog entity name: 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
    });
    const misnamedPort = port('sales-crm', 'customers');
    misnamedPort.metadata.name = 'sales crm customers';
    await expect(
      registry.put('sales-crm', {
        product: product('sales-crm'),
        ports: [misnamedPort],
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'ports[0]: metadata.name: "sales crm customers" must be a catalog entity name',
      ),
    });
    await expect(registry.list()).resolves.toEqual([]);
  });

  it('refuses to remove a product with consumers, then removes and decommissions it', async () => {
    const knex = await databases.init('POSTGRES_18');
    const decommission = jest.fn().mockResolvedValue(undefined);
    const registry = new RegistryService({
      store: await migratedStore(knex),
      decommission,
    });
    await registry.put('sales-crm', {
      product: product('sales-crm'),
      ports: [port('sales-crm', 'customers')],
    });
    await registry.put('marketing-360', {
      product: product('marketing-360', ['outputport:sales-crm-customers']),
      ports: [port('marketing-360', 'activity')],
    });

    await expect(registry.remove('sales-crm')).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Data product sales-crm still has consumers (marketing-360); remove them first',
    });
    expect(decommission).not.toHaveBeenCalled();
    expect(await registry.list()).toHaveLength(2);

    await registry.remove('marketing-360');
    await registry.remove('sales-crm');
    expect(decommission).toHaveBeenCalledTimes(2);
    expect(decommission.mock.calls[1][0].metadata.name).toBe('sales-crm');
    expect(await registry.list()).toEqual([]);
    await expect(registry.remove('sales-crm')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('counts a consumer whose input is written without a kind', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = new RegistryService({ store: await migratedStore(knex) });
    await registry.put('sales-crm', {
      product: product('sales-crm'),
      ports: [port('sales-crm', 'customers')],
    });
    await registry.put('marketing-360', {
      product: product('marketing-360', ['sales-crm-customers']),
      ports: [port('marketing-360', 'activity')],
    });
    await expect(registry.remove('sales-crm')).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Data product sales-crm still has consumers (marketing-360); remove them first',
    });
  });

  it('keeps the product registered when decommissioning fails', async () => {
    const knex = await databases.init('POSTGRES_18');
    const registry = new RegistryService({
      store: await migratedStore(knex),
      decommission: async () => {
        throw new Error('schema sales_crm is still read by dp_x');
      },
    });
    await registry.put('sales-crm', {
      product: product('sales-crm'),
      ports: [port('sales-crm', 'customers')],
    });
    await expect(registry.remove('sales-crm')).rejects.toThrow(
      'schema sales_crm is still read by dp_x',
    );
    expect(await registry.list()).toHaveLength(1);
  });
});
