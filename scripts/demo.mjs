// `./portal demo`: runs the e-commerce scenario against a running portal
// through its public REST API, as a person using the two templates would:
// signs in as guest, runs four scaffolder tasks, then prints the catalog
// entities with their relations and a sample of marketing_360.customer_activity.
// Then a Marketing user asks to read a Sales port, a Sales user approves, and
// the demo checks the GRANT in pg_auth_members (scripts/lib/accessScenario.mjs).
//
// Environment: PORTAL_URL (default http://localhost:7007); PORTAL_TOKEN (a
// Backstage token to use instead of guest sign-in); POSTGRES_HOST,
// POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD (default: the embedded
// server on PORTAL_PG_PORT, 54320) and WAREHOUSE_DATABASE (default
// dataproducts_warehouse) to read the result table.
// Option --provision-only: stop after the products and their sample rows,
// before the access scene (for a backend without the development sign-in).
// Exits non-zero when anything fails. Running it again updates the products.
// Before its first task it checks that the demo's schemas and entity names
// are free or its own (scripts/lib/demoPreflight.mjs): when other products
// hold them it names each holder and how to go on, and changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import YAML from 'yaml';
import { runAccessScenario } from './lib/accessScenario.mjs';
import {
  explainConflicts,
  findConflicts,
  readWarehouse,
} from './lib/demoPreflight.mjs';
import { waitFor } from './lib/wait.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PORTAL_URL = (process.env.PORTAL_URL || 'http://localhost:7007').replace(
  /\/$/,
  '',
);
const TASK_TIMEOUT_MS = 10 * 60 * 1000;
const READY_TIMEOUT_MS = 3 * 60 * 1000;

class DemoError extends Error {}

const say = message => console.log(message);
const seconds = ms => `${(ms / 1000).toFixed(1)} s`;

/** The scenario's products as the fixtures describe them: what a person types into the forms. */
function loadScenario() {
  const file = path.join(ROOT, 'fixtures/demo-data-products.yaml');
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d =>
    d.toJS(),
  );
  const products = docs.filter(d => d.kind === 'DataProduct');
  return products.map(product => {
    const port = docs.find(
      d =>
        d.kind === 'OutputPort' && d.spec.dataProduct === product.metadata.name,
    );
    return { product, port };
  });
}

/** The form values of the template run that creates one product. */
function formValues({ product, port }) {
  const common = {
    title: product.metadata.title,
    description: product.metadata.description,
    owner: product.spec.owner.includes('/')
      ? product.spec.owner
      : product.spec.owner.replace(':', ':default/'),
    domain: `domain:default/${product.spec.domain}`,
    schema: product.spec.schema,
    portName: port.spec.name,
    ...(port.metadata.description
      ? { portDescription: port.metadata.description }
      : {}),
    portType: port.spec.type,
    // Table ports are refreshed hourly and fresh for a day (docs/refresh.md).
    ...(port.spec.type === 'postgres-table'
      ? { refreshEvery: 'PT1H', freshnessMaxAge: 'PT24H' }
      : {}),
    columns: port.spec.columns.map(
      ({ name, type, description, primaryKey, classification }) => ({
        name,
        type,
        ...(description ? { description } : {}),
        ...(primaryKey ? { primaryKey } : {}),
        // pii columns are masked in the port page's preview.
        ...(classification ? { classification } : {}),
      }),
    ),
  };
  if (product.spec.type === 'source-aligned') {
    const source = product.spec.inputs[0].replace(':', ':default/');
    return {
      templateRef: 'template:default/expose-source-table',
      values: { ...common, source },
    };
  }
  return {
    templateRef: 'template:default/compose-data-product',
    values: {
      ...common,
      inputs: product.spec.inputs.map(ref => ref.replace(':', ':default/')),
      model: port.spec.model,
    },
  };
}

async function request(
  method,
  url,
  { token, body, headers = {}, allow = [] } = {},
) {
  const response = await fetch(`${PORTAL_URL}${url}`, {
    method,
    headers: {
      ...headers,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      'X-Requested-With': 'XMLHttpRequest',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok && !allow.includes(response.status)) {
    const text = await response.text();
    let message = text;
    try {
      message = JSON.parse(text).error?.message ?? text;
    } catch {
      // not JSON: keep the text
    }
    throw new DemoError(
      `${method} ${url} answered ${response.status}: ${message}`,
    );
  }
  if (response.status === 204 || !response.ok)
    return { status: response.status };
  return { status: response.status, body: await response.json() };
}

async function waitForPortal() {
  await waitFor(
    async () => {
      const res = await fetch(
        `${PORTAL_URL}/.backstage/health/v1/readiness`,
      ).catch(() => undefined); // not listening yet
      return res?.ok;
    },
    {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 1000,
      onTimeout: () =>
        new DemoError(
          `the portal at ${PORTAL_URL} is not ready after ${seconds(
            READY_TIMEOUT_MS,
          )}: start it with ./portal start`,
        ),
    },
  );
}

async function guestSignIn() {
  const { body } = await request('POST', '/api/auth/guest/refresh');
  const token = body?.backstageIdentity?.token;
  if (!token)
    throw new DemoError(
      'guest sign-in returned no token: is auth.providers.guest configured?',
    );
  return { token, identity: body.backstageIdentity.identity ?? {} };
}

/**
 * A token to run the scenario with. The permission policy reads the user's
 * groups from the token, which names them only once the catalog holds the
 * user: right after the portal starts, sign in again when it does.
 */
async function signIn() {
  if (process.env.PORTAL_TOKEN) {
    say('Using the token in PORTAL_TOKEN');
    return process.env.PORTAL_TOKEN;
  }
  let { token, identity } = await guestSignIn();
  const user = identity.userEntityRef ?? 'user:default/guest';
  if ((identity.ownershipEntityRefs ?? []).length <= 1) {
    await waitForEntity(token, 'user', user.split('/')[1]);
    ({ token, identity } = await guestSignIn());
  }
  say(
    `Signed in as ${user}, member of ${(identity.ownershipEntityRefs ?? [])
      .filter(ref => ref !== user)
      .join(', ')}`,
  );
  return token;
}

async function waitForEntity(token, kind, name, timeoutMs = 120_000) {
  return waitFor(
    async () => {
      const res = await request(
        'GET',
        `/api/catalog/entities/by-name/${kind}/default/${name}`,
        { token, allow: [404] },
      );
      return res.status === 200 ? res.body : undefined;
    },
    {
      timeoutMs,
      intervalMs: 1000,
      onTimeout: () =>
        new DemoError(
          `${kind}:default/${name} is not in the catalog after ${seconds(
            timeoutMs,
          )}`,
        ),
    },
  );
}

/** Runs one scaffolder task to its end, printing each step's outcome. */
async function runTask(token, { templateRef, values }) {
  const { body } = await request('POST', '/api/scaffolder/v2/tasks', {
    token,
    body: { templateRef, values },
  });
  const taskId = body.id;
  const logs = [];
  const steps = new Map();
  let after;
  /** Reads the task's new events; resolves with the outcome once it completed. */
  const readEvents = async () => {
    const query = after === undefined ? '' : `?after=${after}`;
    const { body: events } = await request(
      'GET',
      `/api/scaffolder/v2/tasks/${taskId}/events${query}`,
      { token },
    );
    for (const event of events) {
      after = event.id;
      const { stepId, status, message } = event.body ?? {};
      if (event.type === 'log') {
        if (message) logs.push(`${stepId ? `[${stepId}] ` : ''}${message}`);
        if (stepId && status && steps.get(stepId) !== status) {
          steps.set(stepId, status);
          if (status !== 'processing')
            say(`    ${stepId.padEnd(10)} ${status}`);
        }
      }
      if (event.type === 'completion') {
        const { body: task } = await request(
          'GET',
          `/api/scaffolder/v2/tasks/${taskId}`,
          { token },
        );
        return { taskId, status: task.status, logs, message };
      }
    }
    return undefined;
  };
  return waitFor(readEvents, {
    timeoutMs: TASK_TIMEOUT_MS,
    intervalMs: 500,
    onTimeout: () =>
      new DemoError(
        `task ${taskId} did not finish within ${seconds(TASK_TIMEOUT_MS)}`,
      ),
  });
}

function warehouseConnection() {
  const { POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD } =
    process.env;
  return {
    host: POSTGRES_HOST || '127.0.0.1',
    port: Number(POSTGRES_PORT || process.env.PORTAL_PG_PORT || 54320),
    user: POSTGRES_USER || 'postgres',
    password: POSTGRES_PASSWORD ?? 'postgres',
    database: process.env.WAREHOUSE_DATABASE || 'dataproducts_warehouse',
  };
}

function printRelations(entity) {
  const ref = `${entity.kind.toLowerCase()}:${
    entity.metadata.namespace ?? 'default'
  }/${entity.metadata.name}`;
  say(`  ${ref}`);
  const relations = [...(entity.relations ?? [])].sort((a, b) =>
    `${a.type} ${a.targetRef}`.localeCompare(`${b.type} ${b.targetRef}`),
  );
  for (const relation of relations) {
    say(`      ${relation.type.padEnd(13)} ${relation.targetRef}`);
  }
}

async function printCustomerActivity() {
  const client = new pg.Client(warehouseConnection());
  await client.connect();
  try {
    const { rows: count } = await client.query(
      'SELECT count(*)::int AS n FROM marketing_360.customer_activity',
    );
    const { rows } = await client.query(
      'SELECT * FROM marketing_360.customer_activity ORDER BY customer_id, order_id NULLS FIRST LIMIT 5',
    );
    say(
      `\nmarketing_360.customer_activity: ${count[0].n} rows; the first ${rows.length}:`,
    );
    console.table(rows);
    if (count[0].n === 0)
      throw new DemoError('marketing_360.customer_activity is empty');
  } finally {
    await client.end();
  }
}

/**
 * Stops before any change when the demo's schemas or entity names are held
 * by other products, naming each holder and how to go on.
 */
async function checkDemoIsFree(token, scenario) {
  const demo = scenario.map(({ product, port }) => ({
    name: product.metadata.name,
    title: product.metadata.title,
    schema: product.spec.schema,
    entityNames: [product.metadata.name, port.metadata.name],
  }));
  const { body } = await request(
    'GET',
    '/api/data-products/registry/products',
    {
      token,
    },
  );
  const registered = body.items.map(item => ({
    name: item.product.metadata.name,
    title: item.product.metadata.title,
    schema: item.product.spec.schema,
  }));
  const catalogEntities = [];
  for (const { entityNames } of demo) {
    for (const [kind, name] of [
      ['dataproduct', entityNames[0]],
      ['outputport', entityNames[1]],
    ]) {
      const res = await request(
        'GET',
        `/api/catalog/entities/by-name/${kind}/default/${name}`,
        { token, allow: [404] },
      );
      if (res.status === 200) {
        catalogEntities.push({
          ref: `${kind}:default/${name}`,
          location:
            res.body.metadata.annotations?.['backstage.io/managed-by-location'],
        });
      }
    }
  }
  let warehouse;
  try {
    warehouse = await readWarehouse(warehouseConnection(), demo);
  } catch (error) {
    const { host, port, database } = warehouseConnection();
    throw new DemoError(
      `cannot read the warehouse ${database} on ${host}:${port} to check the demo's schemas (${error.message}); set POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD and WAREHOUSE_DATABASE`,
    );
  }
  const conflicts = findConflicts({
    demo,
    registered,
    ...warehouse,
    catalogEntities,
  });
  if (conflicts.length > 0) {
    throw new DemoError(explainConflicts(conflicts, PORTAL_URL));
  }
  say("The demo's schemas and names are free or its own");
}

async function main() {
  const started = Date.now();
  const scenario = loadScenario();
  say(`Data Product Portal demo against ${PORTAL_URL}`);
  await waitForPortal();
  const token = await signIn();
  await checkDemoIsFree(token, scenario);
  await waitForEntity(token, 'template', 'expose-source-table');
  await waitForEntity(token, 'template', 'compose-data-product');

  let failed = 0;
  for (const item of scenario) {
    const run = formValues(item);
    // The form's pickers only offer what the catalog has: wait like a person would.
    for (const ref of [
      run.values.source,
      run.values.owner,
      run.values.domain,
    ].filter(Boolean)) {
      const [kind, rest] = ref.split(':');
      await waitForEntity(token, kind, rest.split('/')[1]);
    }
    const taskStarted = Date.now();
    say(
      `\n${item.product.metadata.title} → ${item.product.spec.schema}.${item.port.spec.name} (${run.templateRef})`,
    );
    const result = await runTask(token, run);
    say(
      `  task ${result.taskId}: ${result.status} in ${seconds(
        Date.now() - taskStarted,
      )}`,
    );
    if (result.status !== 'completed') {
      failed += 1;
      say('  last log lines:');
      for (const line of result.logs.slice(-15)) say(`    ${line}`);
      break;
    }
  }
  if (failed > 0)
    throw new DemoError('a scaffolder task failed (see its log above)');

  say('\nCatalog entities and their relations:');
  for (const { product, port } of scenario) {
    printRelations(
      await waitForEntity(token, 'dataproduct', product.metadata.name),
    );
    printRelations(
      await waitForEntity(token, 'outputport', port.metadata.name),
    );
  }

  await printCustomerActivity();
  const { values: options } = parseArgs({
    options: { 'provision-only': { type: 'boolean', default: false } },
  });
  if (!options['provision-only']) {
    await runAccessScenario({ request, say, DemoError, warehouseConnection });
  }
  say(`\nThe scenario took ${seconds(Date.now() - started)}.`);
}

main().then(
  () => process.exit(0),
  error => {
    console.error(
      `demo: ${
        error instanceof DemoError ? error.message : error.stack || error
      }`,
    );
    process.exit(1);
  },
);
