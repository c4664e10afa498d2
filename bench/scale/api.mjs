// The scale bench's measurements through the portal's HTTP API: registering
// the mesh, single registrations, template runs, and lineage against a
// catalog-graph-style walk.
import { setTimeout as sleep } from 'node:timers/promises';

/** The p-th percentile (0..100) of `values`, nearest rank; undefined for none. */
export function percentile(values, p) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(
      sorted.length - 1,
      Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
    )
  ];
}

/**
 * Registers every registration through the registry's batch route
 * (`POST /api/data-products/registry/products`, `batchSize` products a
 * request; 1 uses `PUT /registry/products/:name`, one product a request),
 * with at most `concurrency` requests in flight; stops starting new ones
 * after `deadline` (a performance.now() value). Resolves with the count
 * registered, the failures (the first messages), the seconds it took and
 * the p50 of a request.
 */
export async function registerAll(
  portal,
  registrations,
  { concurrency, batchSize = 1, deadline, log },
) {
  const started = performance.now();
  const batches = [];
  for (let i = 0; i < registrations.length; i += batchSize)
    batches.push(registrations.slice(i, i + batchSize));
  let next = 0;
  let done = 0;
  let lastReport = started;
  const failures = [];
  const latencies = [];
  const worker = async () => {
    while (next < batches.length && performance.now() < deadline) {
      const batch = batches[next++];
      const first = batch[0].product.metadata.name;
      try {
        const { ms } =
          batchSize === 1
            ? await portal.request(
                'PUT',
                `/api/data-products/registry/products/${encodeURIComponent(
                  first,
                )}`,
                { body: batch[0] },
              )
            : await portal.request(
                'POST',
                '/api/data-products/registry/products',
                {
                  body: { items: batch },
                },
              );
        latencies.push(ms);
        done += batch.length;
      } catch (error) {
        failures.push(`${first} (+${batch.length - 1}): ${error.message}`);
        if (failures.length === 1)
          log?.(`  registration failed: ${error.message}`);
      }
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        log?.(
          `  ${done} of ${registrations.length} registered (${(
            (lastReport - started) /
            1000
          ).toFixed(0)} s)`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    registered: done,
    failures,
    seconds: (performance.now() - started) / 1000,
    p50: percentile(latencies, 50),
  };
}

/**
 * `count` sequential registrations of new products, each reading a hub port,
 * as `dataproduct:register` makes them after provisioning: the time until
 * the catalog serves the product and its port, and the `PUT` alone.
 */
export async function timeRegistrations(portal, mesh, count) {
  const template = mesh.registrations.find(
    r => r.product.spec.type !== 'source-aligned',
  );
  const hub = mesh.hubs[0];
  const times = [];
  const puts = [];
  for (let i = 0; i < count; i++) {
    const name = `bench-register-${String(i + 1).padStart(2, '0')}`;
    const product = structuredClone(template.product);
    product.metadata = {
      ...product.metadata,
      name,
      title: `Bench Register ${i + 1}`,
    };
    product.spec.schema = name.replace(/-/g, '_');
    product.spec.inputs = [`outputport:default/${hub.entity}`];
    const port = structuredClone(template.ports[0]);
    port.metadata = {
      ...port.metadata,
      name: `${name}-${port.spec.name.replace(/_/g, '-')}`,
    };
    port.spec.dataProduct = name;
    port.spec.model = `SELECT i1.*\nFROM {{ source('${hub.product}', '${hub.port}') }} AS i1`;
    const refs = [
      `dataproduct:default/${name}`,
      `outputport:default/${port.metadata.name}`,
    ];
    const byRefs = () =>
      portal.request('POST', '/api/catalog/entities/by-refs', {
        body: { entityRefs: refs, fields: ['kind', 'metadata.name'] },
      });
    const started = performance.now();
    // As the action does: no entity of the product from elsewhere, the PUT,
    // then the catalog asked every 100 ms until it serves the product and its port.
    await byRefs();
    const { ms } = await portal.request(
      'PUT',
      `/api/data-products/registry/products/${name}`,
      {
        body: { product, ports: [port] },
      },
    );
    for (;;) {
      const { body } = await byRefs();
      if (body.items.every(Boolean)) break;
      if (performance.now() - started > 60_000)
        throw new Error(`${refs.join(', ')} not served after 60 s`);
      await sleep(100);
    }
    times.push(performance.now() - started);
    puts.push(ms);
  }
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    put: percentile(puts, 50),
    count: times.length,
  };
}

/** The demo's CRM customers table, as a person fills the source-table template for it. */
const CRM_COLUMNS = [
  {
    name: 'id',
    type: 'INTEGER',
    description: 'Unique identifier for the customer.',
    primaryKey: true,
  },
  {
    name: 'first_name',
    type: 'VARCHAR(50)',
    description: "The customer's first name.",
  },
  {
    name: 'last_name',
    type: 'VARCHAR(50)',
    description: "The customer's last name.",
  },
  {
    name: 'email',
    type: 'VARCHAR(100)',
    description: "The customer's email address.",
  },
  {
    name: 'signup_date',
    type: 'DATE',
    description: 'The day the customer signed up.',
  },
];

/** Runs one scaffolder task to its end; resolves with its status. */
async function runTask(portal, body, timeoutMs) {
  const { body: task } = await portal.request(
    'POST',
    '/api/scaffolder/v2/tasks',
    { body },
  );
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const { body: state } = await portal.request(
      'GET',
      `/api/scaffolder/v2/tasks/${task.id}`,
    );
    if (['completed', 'failed', 'cancelled'].includes(state.status))
      return state.status;
    await sleep(100);
  }
  return 'timeout';
}

/**
 * `count` real template runs in sequence (expose-source-table on the demo's
 * crm-customers table, each a new product with its own schema: provision and
 * register): products per minute, and each run's seconds.
 */
export async function timeProvisioning(portal, count, { log } = {}) {
  const times = [];
  const statuses = [];
  for (let i = 0; i < count; i++) {
    const title = `Bench Provision ${String(i + 1).padStart(2, '0')}`;
    const started = performance.now();
    const status = await runTask(
      portal,
      {
        templateRef: 'template:default/expose-source-table',
        values: {
          title,
          description: 'A product the scale bench provisions.',
          owner: 'group:default/sales',
          domain: 'domain:default/sales',
          schema: `bench_provision_${String(i + 1).padStart(2, '0')}`,
          portName: 'customers',
          portType: 'postgres-view',
          columns: CRM_COLUMNS,
          source: 'resource:default/crm-customers',
        },
      },
      120_000,
    );
    times.push((performance.now() - started) / 1000);
    statuses.push(status);
    if (status !== 'completed') log?.(`  template run ${i + 1}: ${status}`);
  }
  const completed = statuses.filter(s => s === 'completed').length;
  const total = times.reduce((s, t) => s + t, 0);
  return {
    perMinute: completed > 0 ? (completed / total) * 60 : 0,
    completed,
    count,
    p50: percentile(times, 50),
  };
}

/** The lineage relations a catalog-graph-style walk follows, each way. */
const UPSTREAM = { dataproduct: ['dependson'], outputport: ['partof'] };
const DOWNSTREAM = { dataproduct: ['haspart'], outputport: ['dependencyof'] };

/**
 * The lineage of `rootRef` as @backstage/plugin-catalog-graph gathers a
 * graph: one `GET /api/catalog/entities/by-name/...` per entity, breadth
 * first, following upstream (dependsOn, a port's partOf) and downstream
 * (hasPart, dependencyOf) relations until no new entity turns up. Only the
 * lineage relations are followed (catalog-graph would also follow owners and
 * domains): the walk asks no more than the lineage needs. Resolves with the
 * ms and the node count.
 */
export async function catalogGraphWalk(portal, rootRef) {
  const started = performance.now();
  const seen = new Set([rootRef]);
  let frontier = [{ ref: rootRef, up: true, down: true }];
  while (frontier.length > 0) {
    const nextFrontier = [];
    // catalog-graph asks for the entities of one depth level together.
    await Promise.all(
      frontier.map(async ({ ref, up, down }) => {
        const [kind, rest] = ref.split(':');
        const [namespace, name] = rest.split('/');
        const { status, body } = await portal.request(
          'GET',
          `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
          { allow: [404] },
        );
        if (status !== 200) return;
        for (const relation of body.relations ?? []) {
          const type = relation.type.toLowerCase();
          const target = relation.targetRef.toLowerCase();
          const goesUp = up && (UPSTREAM[kind] ?? []).includes(type);
          const goesDown = down && (DOWNSTREAM[kind] ?? []).includes(type);
          if ((goesUp || goesDown) && !seen.has(target)) {
            seen.add(target);
            if (/^(dataproduct|outputport):/.test(target)) {
              nextFrontier.push({ ref: target, up: goesUp, down: goesDown });
            }
          }
        }
      }),
    );
    frontier = nextFrontier;
  }
  return { ms: performance.now() - started, nodes: seen.size };
}

/** One product's lineage from the plugin's endpoint; resolves with the ms and the node count. */
export async function lineageRequest(portal, rootRef) {
  const { ms, body } = await portal.request(
    'GET',
    `/api/data-products/lineage?entityRef=${encodeURIComponent(rootRef)}`,
  );
  return {
    ms,
    nodes: body?.nodes?.length ?? 0,
    truncated: Boolean(body?.truncated),
  };
}
