import { ConfigReader } from '@backstage/config';
import {
  catalogSnapshot,
  createTestWarehouse,
  createWarehouseTestDatabases,
  demoRequest,
} from '../testUtils';
import { holdLock, noBuildSessionLeft } from './__testUtils__/sessions';
import {
  BUILD_TIMEOUT_ANNOTATION,
  DEFAULT_BUILD_LIMITS,
  readBuildLimits,
} from './limits';
import { ProvisionRequest } from './types';

jest.setTimeout(120_000);

function annotated(request: ProvisionRequest, timeout: string) {
  return {
    ...request,
    product: {
      ...request.product,
      metadata: {
        ...request.product.metadata,
        annotations: { [BUILD_TIMEOUT_ANNOTATION]: timeout },
      },
    },
  };
}

function warehouseConfig(
  warehouse: Record<string, string | number | Record<string, number>>,
) {
  return new ConfigReader({ dataProducts: { warehouse } });
}

describe('build limits from configuration', () => {
  it('default to 15 min builds, a 1 h maximum, 30 s lock waits and 4 builds at once', () => {
    expect(readBuildLimits(new ConfigReader({}))).toEqual({
      buildTimeoutMs: 900_000,
      maxBuildTimeoutMs: 3_600_000,
      lockTimeoutMs: 30_000,
      statusTimeoutMs: 10_000,
      maxConcurrentBuilds: 4,
    });
    expect(readBuildLimits(new ConfigReader({}))).toEqual(DEFAULT_BUILD_LIMITS);
  });

  it('read ISO 8601 strings, ms-style strings and objects', () => {
    expect(
      readBuildLimits(
        warehouseConfig({
          buildTimeout: 'PT20M',
          maxBuildTimeout: { hours: 2, minutes: 30 },
          lockTimeout: '5s',
          statusTimeout: { seconds: 3 },
          maxConcurrentBuilds: 2,
        }),
      ),
    ).toEqual({
      buildTimeoutMs: 1_200_000,
      maxBuildTimeoutMs: 9_000_000,
      lockTimeoutMs: 5_000,
      statusTimeoutMs: 3_000,
      maxConcurrentBuilds: 2,
    });
  });

  it('refuse a timeout of 0 (which PostgreSQL reads as none), a build timeout above the maximum, and no build slots', () => {
    expect(() =>
      readBuildLimits(warehouseConfig({ lockTimeout: 'PT0S' })),
    ).toThrow(
      /Invalid dataProducts\.warehouse\.lockTimeout 0 ms: must be at least 1 ms .* a timeout of 0 would mean none/,
    );
    expect(() =>
      readBuildLimits(
        warehouseConfig({ buildTimeout: 'PT2H', maxBuildTimeout: 'PT1H' }),
      ),
    ).toThrow(
      'dataProducts.warehouse.buildTimeout (2 h) is longer than dataProducts.warehouse.maxBuildTimeout (1 h): lower the first or raise the second',
    );
    expect(() =>
      readBuildLimits(warehouseConfig({ maxConcurrentBuilds: 0 })),
    ).toThrow(
      'Invalid dataProducts.warehouse.maxConcurrentBuilds 0: must be a whole number of at least 1',
    );
    expect(() =>
      readBuildLimits(warehouseConfig({ buildTimeout: 'soon' })),
    ).toThrow(/Invalid duration 'soon'/);
  });
});

describe('builds within bounds', () => {
  const databases = createWarehouseTestDatabases();

  it('refuse a build-timeout annotation above the maximum, naming both, before any SQL runs', async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
    );
    try {
      const before = await catalogSnapshot(knex, prefix);
      const request = demoRequest('sales-crm-customers');
      await expect(
        engine.apply(annotated(request, 'PT2H')),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          'The annotation dataproducts.io/build-timeout of data product \'sales-crm-customers\' asks for "PT2H" (2 h), more than the maximum build timeout of 1 h (dataProducts.warehouse.maxBuildTimeout): ask for at most 1 h, or have an operator raise the maximum',
      });
      await expect(engine.plan(annotated(request, 'PT0S'))).rejects.toThrow(
        'a build timeout must be longer than 0',
      );
      await expect(engine.plan(annotated(request, 'later'))).rejects.toThrow(
        /Invalid annotation dataproducts\.io\/build-timeout of data product 'sales-crm-customers' "later": write a duration such as PT30M/,
      );
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
    } finally {
      await cleanup();
    }
  });

  it("stop a statement at the product's build timeout, for apply and for refresh, leaving the previous version", async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
      { limits: { lockTimeoutMs: 600_000 } },
    );
    try {
      const request = annotated(demoRequest('sales-crm-customers'), 'PT1S');
      const provisioned = await engine.apply(request);
      expect(provisioned.plan.steps.map(s => s.id)).toContain('build-timeout');
      const recorded = await knex('dataproducts_meta.products')
        .where({ product: 'sales-crm-customers' })
        .first();
      expect(Number(recorded.build_timeout_ms)).toBe(1000);
      const table = await knex.raw(
        "SELECT 'sales_crm.customers'::regclass::oid::int AS oid",
      );
      const before = await catalogSnapshot(knex, prefix);

      const lock = await holdLock(
        knex,
        'LOCK TABLE sources.crm_customers IN ACCESS EXCLUSIVE MODE',
      );
      try {
        const stopped = (run: Promise<unknown>) =>
          expect(run).rejects.toMatchObject({
            name: 'InputError',
            message: expect.stringMatching(
              /stopped during step build:customers \(.*\): canceling statement due to statement timeout\. A build statement may run for 1 s \(dataProducts\.warehouse\.buildTimeout, or the product's dataproducts\.io\/build-timeout annotation up to dataProducts\.warehouse\.maxBuildTimeout\)\. Nothing of the run was kept/,
            ),
          });
        await stopped(engine.refresh('sales-crm-customers', 'customers'));
        const changed = annotated(demoRequest('sales-crm-customers'), 'PT1S');
        changed.ports[0].metadata.description = 'Customers, described anew.';
        await stopped(engine.apply(changed));
      } finally {
        await lock.release();
      }
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
      const after = await knex.raw(
        "SELECT 'sales_crm.customers'::regclass::oid::int AS oid, (SELECT count(*)::int FROM sales_crm.customers) AS n",
      );
      expect(after.rows[0]).toEqual({ oid: table.rows[0].oid, n: 500 });
      await noBuildSessionLeft(knex);

      const unannotated = await engine.apply(
        demoRequest('sales-crm-customers'),
      );
      expect(unannotated.plan.steps.map(s => s.description)).toEqual([
        'Build data product sales-crm-customers with the default build timeout from now on',
      ]);
      const cleared = await knex('dataproducts_meta.products')
        .where({ product: 'sales-crm-customers' })
        .first();
      expect(cleared.build_timeout_ms).toBeNull();
    } finally {
      await cleanup();
    }
  });

  it("give up waiting for another run's lock after the lock timeout, with a ConflictError naming it", async () => {
    const { knex, engine, prefix, cleanup } = await createTestWarehouse(
      databases,
      { limits: { lockTimeoutMs: 300 } },
    );
    try {
      const before = await catalogSnapshot(knex, prefix);
      const lock = await holdLock(
        knex,
        "SELECT pg_advisory_xact_lock(hashtext('dataproducts:product:sales-crm-customers'))",
      );
      try {
        await expect(
          engine.apply(demoRequest('sales-crm-customers')),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message:
            "Provisioning data product 'sales-crm-customers' waited longer than 300 ms (dataProducts.warehouse.lockTimeout) for a lock during the wait for the lock of data product 'sales-crm-customers': another session holds it. Nothing of the run was kept; try again once the other operation has finished.",
        });
        await expect(
          engine.decommission('sales-crm-customers'),
        ).rejects.toMatchObject({ name: 'ConflictError' });
      } finally {
        await lock.release();
      }
      expect(await catalogSnapshot(knex, prefix)).toEqual(before);
      await engine.apply(demoRequest('sales-crm-customers'));
      const timeouts = await knex.raw(
        'SELECT current_setting($$statement_timeout$$) AS statement, current_setting($$lock_timeout$$) AS lock',
      );
      expect(timeouts.rows[0]).toEqual({ statement: '0', lock: '0' });
    } finally {
      await cleanup();
    }
  });
});
