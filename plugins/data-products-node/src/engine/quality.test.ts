import {
  createTestWarehouse,
  createWarehouseTestDatabases,
  TestWarehouse,
} from '../testUtils';
import {
  goodPeople,
  peopleProduct,
  portSnapshot,
  seedPeople,
} from './__testUtils__/quality';
import {
  QUALITY_HISTORY_BUILDS,
  readPortQuality,
  readQualitySummaries,
  recordQualityOutcome,
} from './qualityResults';

jest.setTimeout(180_000);

describe('quality rules', () => {
  let warehouse: TestWarehouse;
  // Registered before the databases' own clean-up, so it runs first.
  afterAll(async () => {
    await warehouse?.cleanup();
  });
  const databases = createWarehouseTestDatabases();

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases, { customers: 10 });
    // 10 people: ids 1..10, statuses active/inactive, one NULL email, one
    // duplicated email, one status outside the list, seen now.
    const people = goodPeople(10);
    people[2].email = null;
    people[4].email = people[3].email;
    people[6].status = 'gone';
    await seedPeople(warehouse.knex, 'people', people);
  });

  let products = 0;
  /** Applies a fresh product reading the people with one rule; returns its name. */
  async function applyWith(rule: unknown) {
    const name = `rules-${++products}`;
    await warehouse.engine.apply(
      peopleProduct(name, { table: 'people', quality: [rule] }),
    );
    return name;
  }

  /** Applies a product with no rule, then again with `rule`, which must be refused. */
  async function refusedWith(rule: unknown) {
    const name = `rules-${++products}`;
    const { engine, knex } = warehouse;
    await engine.apply(peopleProduct(name, { table: 'people' }));
    const before = await portSnapshot(knex, name.replace('-', '_'), 'people');
    const error = await engine
      .apply(peopleProduct(name, { table: 'people', quality: [rule] }))
      .then(
        () => undefined,
        e => e,
      );
    expect(error).toBeDefined();
    expect(await portSnapshot(knex, name.replace('-', '_'), 'people')).toEqual(
      before,
    );
    return { name, error: error as Error };
  }

  // The measured value of each passing rule; freshness (seconds since the
  // rows were seeded) is checked against its threshold instead.
  const passing: Array<[string, object, number | undefined]> = [
    ['rowCount greater than', { metric: 'rowCount', mustBeGreaterThan: 0 }, 10],
    ['rowCount between', { metric: 'rowCount', mustBeBetween: [5, 10] }, 10],
    [
      'nullValues',
      { metric: 'nullValues', column: 'email', mustBeLessOrEqualTo: 1 },
      1,
    ],
    [
      'nullValues in percent',
      {
        metric: 'nullValues',
        column: 'email',
        unit: 'percent',
        mustBeLessThan: 11,
      },
      10,
    ],
    [
      'duplicateValues',
      { metric: 'duplicateValues', column: 'email', mustBe: 1 },
      1,
    ],
    [
      'invalidValues from a list',
      {
        metric: 'invalidValues',
        column: 'status',
        arguments: { validValues: ['active', 'inactive', 'gone'] },
        mustBe: 0,
      },
      0,
    ],
    [
      'invalidValues from a pattern',
      {
        metric: 'invalidValues',
        column: 'email',
        arguments: { pattern: '^[a-z0-9]+@example\\.com$' },
        mustBe: 0,
      },
      0,
    ],
    [
      'freshness',
      { metric: 'freshness', column: 'seen_at', mustBeLessThan: 3600 },
      undefined,
    ],
    [
      'custom SQL',
      {
        type: 'sql',
        query: "SELECT count(*) FROM {{ this }} AS p WHERE p.status = 'gone'",
        mustBe: 1,
      },
      1,
    ],
  ];

  it.each(passing)('passes %s and records it', async (_, rule, value) => {
    const name = await applyWith(rule);
    const quality = await warehouse.engine.quality(name, 'people');
    expect(quality.builds).toEqual([
      expect.objectContaining({ outcome: 'passed', rowCount: 10 }),
    ]);
    expect(quality.rules).toHaveLength(1);
    const [only] = quality.rules;
    expect(only.latest.passed).toBe(true);
    expect(only.latest.value).toBe(value ?? only.latest.value);
    expect(only.latest.value).toEqual(expect.any(Number));
  });

  const failing: Array<[string, object, RegExp]> = [
    [
      'rowCount greater than',
      { name: 'enough', metric: 'rowCount', mustBeGreaterThan: 100 },
      /quality rule 'enough' \(rowCount > 100\): 10 rows, must be > 100/,
    ],
    [
      'rowCount between',
      { metric: 'rowCount', mustBeBetween: [20, 30] },
      /quality rule 'rowCount' \(rowCount between 20 and 30\): 10 rows, must be between 20 and 30/,
    ],
    [
      'nullValues',
      { metric: 'nullValues', column: 'email', mustBe: 0 },
      /quality rule 'nullValues_email' \(nullValues of email = 0\): 1 row, must be = 0/,
    ],
    [
      'nullValues in percent',
      {
        metric: 'nullValues',
        column: 'email',
        unit: 'percent',
        mustBeLessThan: 5,
      },
      /\(nullValues of email \(percent\) < 5\): 10%, must be < 5/,
    ],
    [
      'duplicateValues',
      { metric: 'duplicateValues', column: 'email', mustBe: 0 },
      /duplicateValues of email = 0\): 1 row, must be = 0; e\.g\. email p4@example\.com/,
    ],
    [
      'invalidValues from a list',
      {
        metric: 'invalidValues',
        column: 'status',
        arguments: { validValues: ['active', 'inactive'] },
        mustBe: 0,
      },
      /invalidValues of status = 0\): 1 row, must be = 0/,
    ],
    [
      'invalidValues from a pattern',
      {
        metric: 'invalidValues',
        column: 'email',
        arguments: { pattern: '^p[0-3]@' },
        mustBe: 0,
      },
      /invalidValues of email = 0\): 7 rows, must be = 0/,
    ],
    [
      'freshness',
      { metric: 'freshness', column: 'seen_at', mustBeGreaterThan: 86400 },
      /freshness of seen_at \(seconds\) > 86400\): \d+(\.\d+)? s, must be > 86400/,
    ],
    [
      'custom SQL',
      {
        name: 'no_gone',
        type: 'sql',
        query: "SELECT count(*) FROM {{ this }} AS p WHERE p.status = 'gone'",
        mustBe: 0,
      },
      /quality rule 'no_gone' \(custom SQL = 0\): 1 row, must be = 0/,
    ],
  ];

  it.each(failing)(
    'refuses a build that fails %s, keeps the old table and records the failure',
    async (_, rule, message) => {
      const { name, error } = await refusedWith(rule);
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(
        `Output port 'people' of data product '${name}' failed 1 of its checks, so it was not changed (the previous version stays in place)`,
      );
      expect(error.message).toMatch(message);
      const quality = await warehouse.engine.quality(name, 'people');
      expect(quality.builds.map(b => b.outcome)).toEqual(['failed']);
      expect(quality.rules[0].latest.passed).toBe(false);
    },
  );

  it('records a failed warning without blocking the build', async () => {
    const name = await applyWith({
      name: 'statuses',
      metric: 'invalidValues',
      column: 'status',
      arguments: { validValues: ['active', 'inactive'] },
      mustBe: 0,
      severity: 'warning',
    });
    const quality = await warehouse.engine.quality(name, 'people');
    expect(quality.builds[0].outcome).toBe('warning');
    expect(quality.rules[0].latest).toMatchObject({
      key: 'statuses',
      severity: 'warning',
      value: 1,
      passed: false,
      detail: '1 row, must be = 0',
    });
    const [summary] = await warehouse.engine.qualitySummaries([name]);
    expect(summary).toMatchObject({
      product: name,
      port: 'people',
      outcome: 'warning',
      checks: 1,
      failedErrors: 0,
      failedWarnings: 1,
    });
  });

  const hostile: Array<[string, string, RegExp]> = [
    ['DML', 'DELETE FROM {{ this }}', /is a DELETE statement, not a SELECT/],
    [
      'a data-modifying WITH',
      'WITH d AS (DELETE FROM sales_crm.customers RETURNING 1) SELECT count(*) FROM d',
      /the WITH query "d" is a DELETE statement/,
    ],
    [
      'two statements',
      'SELECT 1; DROP TABLE {{ this }}',
      /holds more than one statement/,
    ],
    [
      'set_config',
      "SELECT count(*) FROM {{ this }} AS p WHERE set_config('role', 'postgres', true) IS NOT NULL",
      /set_config/,
    ],
    [
      'a function outside the allowlist',
      'SELECT count(*) FROM {{ this }} AS p WHERE pg_sleep(1) IS NOT NULL',
      /pg_sleep/,
    ],
    [
      "another product's table",
      'SELECT count(*) FROM sales_crm.customers',
      /reads the table sales_crm\.customers directly/,
    ],
    [
      'a source() reference',
      "SELECT count(*) FROM {{ source('sales_crm_customers', 'customers') }} AS c",
      /not among the product's declared inputs/,
    ],
  ];

  it.each(hostile)(
    'refuses custom SQL with %s before anything runs',
    async (_, query, reason) => {
      const { error } = await refusedWith({
        name: 'hostile',
        query,
        mustBe: 0,
      });
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(
        /^Quality rule 'hostile' \(spec\.quality\[0\]\.query\) of output port 'people', line \d+, column \d+: /,
      );
      expect(error.message).toMatch(reason);
    },
  );

  const misshapen: Array<[string, string, RegExp]> = [
    [
      'text',
      'SELECT max(p.email) FROM {{ this }} AS p',
      /returns the column max, which is not a number/,
    ],
    [
      'two rows',
      'SELECT p.id FROM {{ this }} AS p',
      /returns more than one row: it must return exactly one row with one number/,
    ],
    [
      'no row',
      'SELECT p.id FROM {{ this }} AS p WHERE false',
      /returns no row/,
    ],
    [
      'two columns',
      'SELECT count(*), 1 FROM {{ this }} AS p',
      /returns 2 columns \(count, \?column\?\)/,
    ],
  ];

  it.each(misshapen)(
    'refuses custom SQL returning %s',
    async (_, query, reason) => {
      const { error } = await refusedWith({ name: 'shape', query, mustBe: 0 });
      expect(error.message).toMatch(
        /^Quality rule 'shape' \(spec\.quality\[0\]\.query\) of output port 'people' of data product 'rules-\d+' returns /,
      );
      expect(error.message).toMatch(reason);
    },
  );

  it('refuses a custom rule that reads the table when run by the dry run too', async () => {
    const name = `rules-${++products}`;
    await expect(
      warehouse.engine.plan(
        peopleProduct(name, {
          table: 'people',
          quality: [{ name: 'text', query: "SELECT 'x'", mustBe: 0 }],
        }),
      ),
    ).rejects.toThrow(/returns the column \?column\?, which is not a number/);
  });

  it('refuses a rule naming an undeclared column, before any SQL runs', async () => {
    const name = `rules-${++products}`;
    await expect(
      warehouse.engine.apply(
        peopleProduct(name, {
          table: 'people',
          quality: [{ metric: 'nullValues', column: 'nope', mustBe: 0 }],
        }),
      ),
    ).rejects.toThrow(
      `Invalid spec.quality[0].column of output port 'people' "nope": must name a declared column of the port for metric nullValues (id, email, status, seen_at)`,
    );
    const schema = await warehouse.knex.raw(
      'SELECT 1 FROM pg_namespace WHERE nspname = ?',
      [name.replace('-', '_')],
    );
    expect(schema.rows).toEqual([]);
  });

  it('keeps the last 30 builds of a port', async () => {
    const { knex } = warehouse;
    for (let i = 0; i < QUALITY_HISTORY_BUILDS + 3; i++) {
      await recordQualityOutcome(knex, {
        product: 'kept',
        port: 'p',
        rowCount: i,
        outcome: i % 2 ? 'passed' : 'warning',
        results: [
          {
            key: 'rowCount',
            kind: 'rule',
            description: 'rowCount > 0',
            severity: 'warning',
            unit: 'rows',
            expectation: '> 0',
            value: i,
            passed: i > 0,
          },
        ],
      });
    }
    const quality = await readPortQuality(knex, 'kept', 'p');
    expect(quality.builds).toHaveLength(QUALITY_HISTORY_BUILDS);
    expect(quality.builds[0].rowCount).toBe(QUALITY_HISTORY_BUILDS + 2);
    expect(quality.rules[0].history).toHaveLength(QUALITY_HISTORY_BUILDS);
    const stored = await knex.raw(
      `SELECT count(*)::int AS n FROM dataproducts_meta.quality_results r
         JOIN dataproducts_meta.quality_builds b ON b.id = r.build_id WHERE b.product = 'kept'`,
    );
    expect(stored.rows[0].n).toBe(QUALITY_HISTORY_BUILDS);
    expect(await readQualitySummaries(knex, ['kept'])).toEqual([
      expect.objectContaining({ outcome: 'warning', checks: 1 }),
    ]);
  });
});
