// `./portal test`: lint and type check (side by side), every test against
// PostgreSQL 18, then the warehouse engine's tests and the demo scenario again
// on PostgreSQL 15, the oldest version the portal supports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedPostgres } from '../postgres.mjs';
import { PortalError, run, say, scratchDir } from '../process.mjs';

/** The packages whose tests run a second time, on PostgreSQL 15. */
const POSTGRES_15_PACKAGES = [
  '@dataproducts/plugin-data-products-node',
  '@dataproducts/plugin-scaffolder-backend-module-data-products',
];

/**
 * Of those, the tests that run on PostgreSQL 15 when no paths are given: the
 * warehouse engine's (every statement the portal sends a warehouse), the
 * column lineage read from PostgreSQL's own catalogs, and the demo scenario
 * through the real actions. The actions' other tests send the engine's
 * statements too, and the model parser's tests send none: neither gains
 * anything from a second version.
 */
const POSTGRES_15_TESTS = [
  '/plugins/data-products-node/src/engine/',
  '/plugins/data-products-node/src/model/columnLineage\\.postgres\\.test\\.ts$',
  '/plugins/scaffolder-backend-module-data-products/src/e2e/scenario\\.test\\.ts$',
];

/** Sums jest's JSON results over every package. */
function countTests(resultsFile) {
  if (!fs.existsSync(resultsFile)) return undefined;
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  return {
    passed: results.numPassedTests,
    failed: results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0),
    skipped: results.numPendingTests + results.numTodoTests,
    failures: failuresOf(results),
  };
}

/**
 * The failed tests (and suites that failed to run) of jest's JSON results, as
 * `file › test name` lines, so that the end of a long log names them.
 */
function failuresOf(results) {
  const root = process.cwd() + path.sep;
  return results.testResults.flatMap(suite => {
    const file = suite.name.startsWith(root) ? suite.name.slice(root.length) : suite.name;
    const failedTests = suite.assertionResults
      .filter(test => test.status === 'failed')
      .map(test => `${file} › ${test.fullName}`);
    if (failedTests.length === 0 && suite.status === 'failed') {
      return [`${file} (the suite did not run: ${String(suite.message).split('\n').find(Boolean) ?? 'see above'})`];
    }
    return failedTests;
  });
}

/**
 * The server of PostgreSQL `majorVersion` for the tests: the one its
 * BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING names, else a
 * throwaway embedded server.
 */
async function testDatabase(majorVersion) {
  const variable = `BACKSTAGE_TEST_DATABASE_POSTGRES${majorVersion}_CONNECTION_STRING`;
  if (process.env[variable]) {
    return { variable, connectionString: process.env[variable], stop: async () => {} };
  }
  const dir = scratchDir(`portal-test-pg${majorVersion}-`);
  const port = await freePort();
  say(`starting a throwaway embedded PostgreSQL ${majorVersion} for the tests on port ${port}`);
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port, majorVersion });
  return {
    variable,
    connectionString: server.connectionString,
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `backstage-cli repo test` on a PostgreSQL server; resolves with the exit code and the counts. */
async function runTests({ name, majorVersion, jestArgs, env }) {
  const resultsFile = path.join(os.tmpdir(), `portal-test-results-${process.pid}-${majorVersion}.json`);
  const started = Date.now();
  const db = await testDatabase(majorVersion);
  let code;
  try {
    const args = ['backstage-cli', 'repo', 'test', '--json', `--outputFile=${resultsFile}`, ...jestArgs];
    say(`${name}: yarn ${args.join(' ')}`);
    code = await run('yarn', args, {
      env: {
        ...env,
        [db.variable]: db.connectionString,
        DATAPRODUCTS_TEST_POSTGRES: `POSTGRES_${majorVersion}`,
      },
    });
  } finally {
    await db.stop();
  }
  const counts = countTests(resultsFile) ?? { passed: 0, failed: 1, skipped: 0 };
  fs.rmSync(resultsFile, { force: true });
  return { name, ok: code === 0, seconds: (Date.now() - started) / 1000, counts };
}

/** The parts of `./portal test`, each chosen with `--part NAME`; all of them by default. */
const PARTS = ['checks', 'postgres18', 'postgres15'];

/**
 * Splits the command line into the parts asked for (`--part NAME`,
 * repeatable) and what goes on to jest.
 */
function readParts(args) {
  const parts = new Set();
  const jestArgs = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = arg === '--part' ? args[++i] : arg.startsWith('--part=') ? arg.slice(7) : undefined;
    if (value === undefined) {
      jestArgs.push(arg);
    } else if (PARTS.includes(value)) {
      parts.add(value);
    } else {
      throw new PortalError(`test: unknown part '${value ?? ''}': give --part ${PARTS.join(', --part ')}, or none for all`);
    }
  }
  return { parts: parts.size > 0 ? parts : new Set(PARTS), jestArgs };
}

/**
 * Runs lint and the type check ("checks"), the tests on PostgreSQL 18 and the
 * PostgreSQL 15 pass, or the parts named with `--part`; jest options and
 * paths in `args`. Resolves with the exit code.
 */
export default async function test({ args: commandLine }) {
  const { parts, jestArgs: args } = readParts(commandLine);
  const env = { ...process.env, BACKSTAGE_TEST_DISABLE_DOCKER: '1', CI: 'true' };
  const steps = [];
  if (parts.has('checks')) {
    // Lint and the type check side by side: tsc uses one core.
    steps.push(
      ...(await Promise.all(
        [
          ['lint', ['backstage-cli', 'repo', 'lint']],
          ['type check', ['tsc']],
        ].map(async ([name, commandArgs]) => {
          say(`${name}: yarn ${commandArgs.join(' ')}`);
          const started = Date.now();
          const code = await run('yarn', commandArgs, { env });
          return {
            name,
            ok: code === 0,
            seconds: (Date.now() - started) / 1000,
            counts: { passed: 0, failed: code === 0 ? 0 : 1, skipped: 0 },
          };
        }),
      )),
    );
  }
  if (parts.has('postgres18')) {
    steps.push(await runTests({ name: 'tests on PostgreSQL 18', majorVersion: 18, jestArgs: args, env }));
  }
  if (parts.has('postgres15')) {
    // Test paths given (anything that is not an option) replace the default selection.
    const pathsGiven = args.some(arg => !arg.startsWith('-'));
    steps.push(
      await runTests({
        name: 'engine tests and the demo scenario on PostgreSQL 15',
        majorVersion: 15,
        // Last, so that jest does not read the paths in `args` as more project names.
        jestArgs: [
          ...args,
          ...(pathsGiven ? [] : ['--testPathPatterns', ...POSTGRES_15_TESTS]),
          '--selectProjects',
          ...POSTGRES_15_PACKAGES,
        ],
        env,
      }),
    );
  }

  for (const step of steps) {
    say(`${step.ok ? 'ok    ' : 'FAILED'} ${step.name} (${Math.round(step.seconds)} s)`);
    for (const failure of step.counts.failures ?? []) say(`         ✕ ${failure}`);
  }
  // Lint or type-check failures count as failures too, so the closing line never hides them.
  const total = key => steps.reduce((sum, step) => sum + step.counts[key], 0);
  console.log(`${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`);
  return steps.every(step => step.ok) ? 0 : 1;
}
