import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  DATA_PRODUCT_REGISTRY_TOPIC,
  outputPortEntityName,
  type DataProductRegistration,
} from '@dataproducts/plugin-data-products-common';
import type { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { RegistryStore } from './RegistryStore';

jest.setTimeout(60_000);

function registration(
  name: string,
  portNames: string[] = ['rows'],
  inputs: string[] = [],
): DataProductRegistration {
  return {
    product: {
      apiVersion: 'dataproducts.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name },
      spec: {
        type: inputs.length ? 'consumer-aligned' : 'source-aligned',
        lifecycle: 'production',
        owner: 'group:sales',
        schema: name.replace(/-/g, '_'),
        ...(inputs.length ? { inputs } : {}),
      },
    },
    ports: portNames.map(port => ({
      apiVersion: 'dataproducts.io/v1alpha1',
      kind: 'OutputPort',
      metadata: { name: outputPortEntityName(name, port) },
      spec: {
        dataProduct: name,
        name: port,
        type: 'postgres-table',
        columns: [{ name: 'id', type: 'INTEGER' }],
      },
    })),
  };
}

const provisioned = (r: DataProductRegistration) => ({
  ...r,
  status: 'provisioned' as const,
});

describe('RegistryStore change feed', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  async function setup() {
    const knex: Knex = await databases.init('POSTGRES_18');
    await applyDatabaseMigrations(knex);
    const events = mockServices.events();
    const announced: unknown[] = [];
    await events.subscribe({
      id: 'test',
      topics: [DATA_PRODUCT_REGISTRY_TOPIC],
      onEvent: async ({ eventPayload }) => {
        announced.push(eventPayload);
      },
    });
    return { knex, store: new RegistryStore(knex, { events }), announced };
  }

  it('writes a change for every registration and removal, announces each once committed, and pages through them', async () => {
    const { store, announced } = await setup();
    await store.upsert(provisioned(registration('sales-crm-customers')));
    await store.upsert(provisioned(registration('sales-erp-orders')));
    // Registered again unchanged: still a change.
    await store.upsert(provisioned(registration('sales-crm-customers')));
    await store.delete('sales-erp-orders');
    // Removing what is not registered changes nothing.
    await store.delete('sales-erp-orders');

    expect(announced).toEqual([
      { id: 1, name: 'sales-crm-customers', op: 'upsert' },
      { id: 2, name: 'sales-erp-orders', op: 'upsert' },
      { id: 3, name: 'sales-crm-customers', op: 'upsert' },
      { id: 4, name: 'sales-erp-orders', op: 'delete' },
    ]);

    const all = await store.changesAfter(0, 100);
    expect(all).toMatchObject({ cursor: 4, more: false, stale: false });
    expect(all.changes.map(c => [c.id, c.name, c.op])).toEqual([
      [1, 'sales-crm-customers', 'upsert'],
      [2, 'sales-erp-orders', 'upsert'],
      [3, 'sales-crm-customers', 'upsert'],
      [4, 'sales-erp-orders', 'delete'],
    ]);
    // The current registration, once per product; none for the removed one.
    expect(all.items.map(i => i.product.metadata.name)).toEqual([
      'sales-crm-customers',
    ]);

    const first = await store.changesAfter(0, 2);
    expect(first).toMatchObject({ cursor: 2, more: true, stale: false });
    const second = await store.changesAfter(first.cursor, 2);
    expect(second).toMatchObject({ cursor: 4, more: false, stale: false });
    expect(second.changes.map(c => c.id)).toEqual([3, 4]);
    const none = await store.changesAfter(4, 2);
    expect(none).toEqual({
      changes: [],
      items: [],
      cursor: 4,
      more: false,
      stale: false,
    });
  });

  it('gives the snapshot with the cursor it reflects', async () => {
    const { store } = await setup();
    expect(await store.snapshot()).toEqual({ items: [], cursor: 0 });
    await store.upsert(provisioned(registration('sales-crm-customers')));
    await store.upsert(provisioned(registration('sales-erp-orders')));
    await store.delete('sales-crm-customers');
    const snapshot = await store.snapshot();
    expect(snapshot.cursor).toBe(3);
    expect(snapshot.items.map(i => i.product.metadata.name)).toEqual([
      'sales-erp-orders',
    ]);
  });

  it('commits changes in the order of their ids, so a cursor never passes a change committed late', async () => {
    const { knex, store } = await setup();
    await store.upsert(provisioned(registration('sales-crm-customers')));
    // A slow registration: its transaction holds the change lock, as the
    // store's does between writing its change and committing.
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>(resolve => (locked = resolve));
    const slow = knex.transaction(async tx => {
      await tx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
        'data-products registry changes',
      ]);
      await tx('data_product_registry_changes').insert({
        name: 'slow',
        op: 'upsert',
        changed_at: new Date(),
      });
      locked();
      await held;
    });
    await isLocked;
    // A registration made meanwhile waits for it instead of committing a
    // later id first.
    const fast = store.upsert(provisioned(registration('sales-erp-orders')));
    const seen = await store.changesAfter(1, 100);
    expect(seen.changes).toEqual([]);
    release();
    await slow;
    await fast;
    expect(
      (await store.changesAfter(1, 100)).changes.map(c => [c.id, c.name]),
    ).toEqual([
      [2, 'slow'],
      [3, 'sales-erp-orders'],
    ]);
  });

  it('prunes old changes but the newest, and calls a cursor outside the kept changes stale', async () => {
    const { store } = await setup();
    await store.upsert(provisioned(registration('sales-crm-customers')));
    await store.upsert(provisioned(registration('sales-erp-orders')));
    await store.upsert(provisioned(registration('logistics-wms-shipments')));
    expect(await store.pruneChanges(new Date(Date.now() - 60_000))).toBe(0);
    expect(await store.pruneChanges(new Date(Date.now() + 60_000))).toBe(2);

    const stale = { changes: [], items: [], more: false, stale: true };
    expect(await store.changesAfter(0, 10)).toEqual({ ...stale, cursor: 0 });
    expect(await store.changesAfter(1, 10)).toEqual({ ...stale, cursor: 1 });
    // From a cursor at the oldest kept change, or the one before it, nothing is lost.
    expect((await store.changesAfter(2, 10)).changes.map(c => c.id)).toEqual([
      3,
    ]);
    expect((await store.changesAfter(3, 10)).stale).toBe(false);
    // A cursor beyond the newest change comes from another database.
    expect(await store.changesAfter(9, 10)).toEqual({ ...stale, cursor: 9 });
  });

  it('finds schema holders, port names and consumers by indexed queries', async () => {
    const { knex, store } = await setup();
    await store.upsert(
      provisioned(registration('sales-crm-customers', ['customers'])),
    );
    await store.upsert(
      provisioned(
        registration(
          'marketing-customer-360',
          ['activity'],
          ['outputport:default/sales-crm-customers-customers'],
        ),
      ),
    );
    await store.upsert(
      provisioned(
        registration(
          'marketing-churn',
          ['scores'],
          ['Sales-CRM-Customers-Customers'],
        ),
      ),
    );
    const names = (items: Array<{ product: { metadata: { name: string } } }>) =>
      items.map(i => i.product.metadata.name).sort();

    expect(names(await store.findBySchema('sales_crm_customers', 'x'))).toEqual(
      ['sales-crm-customers'],
    );
    expect(
      await store.findBySchema('sales_crm_customers', 'sales-crm-customers'),
    ).toEqual([]);
    expect(
      names(
        await store.findByPortNames(['SALES-CRM-CUSTOMERS-CUSTOMERS'], 'x'),
      ),
    ).toEqual(['sales-crm-customers']);
    expect(
      names(
        await store.findPossibleConsumers(
          ['sales-crm-customers-customers'],
          'sales-crm-customers',
        ),
      ),
    ).toEqual(['marketing-churn', 'marketing-customer-360']);

    // With many products, PostgreSQL answers from the indexes (with a few,
    // it may rather read the table: forbid that to see the plan it has).
    const plan = (sql: string) =>
      knex.transaction(async tx => {
        await tx.raw('SET LOCAL enable_seqscan = off');
        return JSON.stringify((await tx.raw(`EXPLAIN ${sql}`)).rows);
      });
    expect(
      await plan(
        `SELECT name FROM data_product_registry WHERE product #>> '{spec,schema}' = 'x'`,
      ),
    ).toContain('data_product_registry_schema_idx');
    expect(
      await plan(
        `SELECT name FROM data_product_registry WHERE lower(jsonb_path_query_array(ports, '$[*].metadata.name')::text)::jsonb \\?| array['x']`,
      ),
    ).toContain('data_product_registry_port_names_idx');
    expect(
      await plan(
        `SELECT name FROM data_product_registry WHERE lower((product #> '{spec,inputs}')::text)::jsonb \\?| array['x']`,
      ),
    ).toContain('data_product_registry_inputs_idx');
  });
});
