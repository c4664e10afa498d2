// `./portal bench scale --products N [--write] [--screenshots DIR]`: the
// mesh at scale, each measurement against its baseline in one run, on
// portals this bench starts on throwaway embedded databases (docs/performance.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import YAML from 'yaml';
import { ROOT, scratchDir } from '../../scripts/lib/process.mjs';
import { ensureAppBuilt } from '../../scripts/lib/server.mjs';
import {
  catalogGraphWalk,
  lineageRequest,
  percentile,
  registerAll,
  timeProvisioning,
  timeRegistrations,
} from './api.mjs';
import { oldExplorerLoad, openBrowser, timeToSelector } from './browser.mjs';
import { expectedRelations, generateMesh } from './generate.mjs';
import { waitForCompleteness, waitForEntities } from './ingest.mjs';
import {
  connectionsByDatabase,
  measureIdle,
  startPortal,
  stopAll,
} from './portal.mjs';
import { formatTable, writeSection } from './report.mjs';

/** Where the explorer and the mesh view are, and what says they are ready. */
const PAGES = {
  explorer: {
    route: '/data-products',
    ready: '[data-testid="data-products-rows"] [role="row"][aria-rowindex]',
  },
  mesh: {
    route: '/data-products',
    tab: /mesh/i,
    ready: '[data-testid="mesh-view-ready"]',
  },
};

const log = message => console.error(`scale: ${message}`);
const NOT_AVAILABLE = 'not available';

/** Runs `measure`; a failure (a part not there yet) becomes `{ error }` and the run goes on. */
async function attempt(what, measure) {
  try {
    return await measure();
  } catch (error) {
    log(`${what}: ${NOT_AVAILABLE} (${error.message.split('\n')[0]})`);
    return { error: error.message.split('\n')[0] };
  }
}

function writeYaml(file, entities) {
  fs.writeFileSync(file, entities.map(e => YAML.stringify(e)).join('---\n'));
}

/** The machine the run is on, for the report. */
function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${Math.round(
    os.totalmem() / 2 ** 30,
  )} GiB RAM, load ${os
    .loadavg()
    .map(l => l.toFixed(1))
    .join(' ')} at the end`;
}

/**
 * The baseline side: the mesh as Components in a file Location, read from
 * config at start (the catalog refuses to register file Locations through
 * its API). The clock starts when the backend answers ready: the catalog may
 * have begun before that, which can only flatter the baseline.
 */
async function runBaseline({ scratch, mesh, orgFile, options }) {
  const componentsFile = path.join(scratch, 'components.yaml');
  writeYaml(componentsFile, mesh.components);
  log(
    `baseline: a portal reading ${mesh.components.length} Components from a file Location`,
  );
  const portal = await startPortal({
    scratch: path.join(scratch, 'baseline'),
    files: [orgFile, componentsFile],
    log,
  });
  try {
    const ingest = await waitForCompleteness(
      portal,
      expectedRelations(mesh, 'baseline'),
      {
        startedAt: portal.readyAt,
        timeoutMs: options.ingestMinutes * 60_000,
        log,
      },
    );
    log(
      `baseline: complete in ${
        ingest.complete?.toFixed(1) ?? '(timeout)'
      } s; idling ${options.idleSeconds} s`,
    );
    // A catalog still ingesting is not idle: no idle figure then.
    let idle;
    if (ingest.complete !== undefined) {
      await sleep(10_000);
      idle = await measureIdle(portal, options.idleSeconds);
    }
    const connections = await connectionsByDatabase(portal);
    return { ingest, idle, connections };
  } finally {
    await portal.stop();
  }
}

/** The registry side and everything measured on it. */
async function runRegistry({ scratch, mesh, orgFile, orgRefs, options }) {
  log(
    `registry: a portal with ${mesh.registrations.length} products registered through the HTTP API`,
  );
  const portal = await startPortal({
    scratch: path.join(scratch, 'registry'),
    files: [orgFile],
    log,
  });
  const result = {};
  try {
    await waitForEntities(portal, orgRefs, { timeoutMs: 600_000, log });
    const startedAt = performance.now();
    const deadline = startedAt + options.ingestMinutes * 60_000;
    result.registration = await registerAll(portal, mesh.registrations, {
      concurrency: options.concurrency,
      batchSize: options.batchSize,
      deadline,
      log,
    });
    log(
      `registry: ${
        result.registration.registered
      } registered in ${result.registration.seconds.toFixed(1)} s (${
        result.registration.failures.length
      } failed)`,
    );
    result.ingest = await waitForCompleteness(
      portal,
      expectedRelations(mesh, 'registry'),
      {
        startedAt,
        timeoutMs: options.ingestMinutes * 60_000,
        log,
      },
    );
    log(
      `registry: complete in ${
        result.ingest.complete?.toFixed(1) ?? '(timeout)'
      } s; idling ${options.idleSeconds} s`,
    );
    if (result.ingest.complete !== undefined) {
      await sleep(10_000);
      result.idle = await measureIdle(portal, options.idleSeconds);
    }
    result.connections = await connectionsByDatabase(portal);

    log('register: sequential registrations of new products');
    result.register = await attempt('register', () =>
      timeRegistrations(portal, mesh, 20),
    );
    log('provisioning: sequential template runs');
    result.provision = await attempt('provisioning', () =>
      timeProvisioning(portal, options.templateRuns, { log }),
    );

    log('lineage: random products, then the hubs against a catalog-graph walk');
    result.lineage = await attempt('lineage', async () => {
      const names = mesh.registrations.map(r => r.product.metadata.name);
      // A fixed sample: every k-th product, so that runs compare.
      const step = Math.max(1, Math.floor(names.length / 200));
      const sample = names.filter((_, i) => i % step === 0).slice(0, 200);
      await lineageRequest(portal, `dataproduct:default/${sample[0]}`); // warm-up
      const times = [];
      for (const name of sample)
        times.push(
          (await lineageRequest(portal, `dataproduct:default/${name}`)).ms,
        );
      const hubs = [];
      const largest = [...mesh.hubs]
        .filter(hub =>
          result.ingest.isComplete(`dataproduct:default/${hub.product}`),
        )
        .sort((a, b) => b.readers - a.readers)
        .slice(0, 3);
      for (const hub of largest) {
        const ref = `dataproduct:default/${hub.product}`;
        const ours = [];
        const walk = [];
        let nodes;
        for (let round = 0; round < 2; round++) {
          const a = await lineageRequest(portal, ref);
          const b = await catalogGraphWalk(portal, ref);
          ours.push(a.ms);
          walk.push(b.ms);
          nodes = { ours: a.nodes, walk: b.nodes, truncated: a.truncated };
        }
        hubs.push({
          ref,
          readers: hub.readers,
          ours: percentile(ours, 50),
          walk: percentile(walk, 50),
          nodes,
        });
        log(
          `  ${ref}: ${percentile(ours, 50).toFixed(0)} ms (${
            nodes.ours
          } nodes) vs walk ${percentile(walk, 50).toFixed(0)} ms (${
            nodes.walk
          } nodes)`,
        );
      }
      return {
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        count: times.length,
        hubs,
      };
    });

    log('pages: the explorer and the mesh view in headless Chromium');
    const session = await attempt('browser', () => openBrowser(portal.url));
    if (!session.error) {
      try {
        result.explorer = await attempt('explorer', async () => {
          const old = [];
          for (let i = 0; i < 3; i++)
            old.push(await oldExplorerLoad(session, await portal.getToken()));
          const runs = [];
          for (let i = 0; i < 3 && (i === 0 || runs[0].at !== undefined); i++) {
            runs.push(
              await timeToSelector(
                session,
                PAGES.explorer.route,
                PAGES.explorer.ready,
                { timeoutMs: 60_000 },
              ),
            );
          }
          const at = runs.map(r => r.at).filter(a => a !== undefined);
          if (at.length === 0)
            log(
              `explorer: ${NOT_AVAILABLE} (no ${PAGES.explorer.ready} on ${PAGES.explorer.route})`,
            );
          return {
            firstRows: percentile(at, 50),
            old: percentile(
              old.map(o => o.ms),
              50,
            ),
            oldRows: old[0].rows,
          };
        });
        result.mesh = await attempt('mesh view', async () => {
          const runs = [];
          for (let i = 0; i < 3 && (i === 0 || runs[0].at !== undefined); i++) {
            runs.push(
              await timeToSelector(
                session,
                PAGES.mesh.route,
                PAGES.mesh.ready,
                {
                  tab: PAGES.mesh.tab,
                  timeoutMs: 60_000,
                  screenshot:
                    i === 2 && options.screenshots
                      ? path.join(
                          options.screenshots,
                          `mesh-view-${options.products}.png`,
                        )
                      : undefined,
                },
              ),
            );
          }
          const at = runs.map(r => r.at).filter(a => a !== undefined);
          if (at.length === 0) {
            const shown = await session.page
              .locator('[data-testid="mesh-view"]')
              .innerText({ timeout: 1000 })
              .catch(() => '(no mesh view)');
            throw new Error(
              `no ${PAGES.mesh.ready} on ${
                PAGES.mesh.route
              } within 60 s; the view showed: ${shown
                .replace(/\s+/g, ' ')
                .slice(0, 160)}`,
            );
          }
          return {
            interactive: percentile(
              runs.map(r => r.fromClick).filter(a => a !== undefined),
              50,
            ),
            fromNavigation: percentile(at, 50),
            longest: Math.max(...runs.map(r => r.longest ?? 0)),
          };
        });
      } finally {
        await session.close();
      }
    } else {
      result.explorer = session;
      result.mesh = session;
    }
    return result;
  } finally {
    await portal.stop();
  }
}

/** Reads the command line: `--products N` and the options docs/performance.md lists. */
export function parseOptions(argv) {
  const options = {
    products: undefined,
    write: false,
    seed: 42,
    idleSeconds: 150,
    concurrency: 2,
    batchSize: 100,
    templateRuns: 10,
    screenshots: undefined,
    ingestMinutes: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const number = (min, max) => {
      const raw = value();
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < min || n > max) {
        throw new Error(
          `${arg} takes a whole number from ${min} to ${max} (got '${raw}')`,
        );
      }
      return n;
    };
    if (arg === '--products') options.products = number(50, 50_000);
    else if (arg === '--write') options.write = true;
    else if (arg === '--seed') options.seed = number(0, 2 ** 31);
    else if (arg === '--idle-seconds') options.idleSeconds = number(5, 600);
    else if (arg === '--concurrency') options.concurrency = number(1, 64);
    else if (arg === '--batch-size') options.batchSize = number(1, 100);
    else if (arg === '--template-runs') options.templateRuns = number(0, 100);
    else if (arg === '--ingest-minutes') options.ingestMinutes = number(1, 120);
    else if (arg === '--screenshots')
      options.screenshots = path.resolve(value());
    else
      throw new Error(
        `unknown option '${arg}': give --products N [--write] [--screenshots DIR] [--seed S] [--idle-seconds S] [--concurrency C] [--batch-size B] [--template-runs R] [--ingest-minutes M]`,
      );
  }
  if (options.products === undefined)
    throw new Error('give the mesh size: --products N (50 to 50,000)');
  options.ingestMinutes ??= Math.ceil(5 + options.products / 1000);
  return options;
}

/** Runs the bench; resolves with its exit code. */
export async function runScaleBench(argv) {
  const options = parseOptions(argv);
  const benchStarted = Date.now();
  const mesh = generateMesh({ products: options.products, seed: options.seed });
  const { stats } = mesh;
  log(
    `mesh of ${stats.products} products (${stats.ports} ports, ${
      stats.domains
    } domains, ${
      stats.resources
    } source tables; by chain depth ${stats.byDepth.join(
      '/',
    )}; hubs read by ${stats.hubs.join(', ')})`,
  );
  // Ctrl-C stops the portals and their databases before the bench ends.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}: stopping the portals`);
      stopAll().finally(() => process.exit(130));
    });
  }
  // Built once: both portals serve the same frontend, whatever changes meanwhile.
  await ensureAppBuilt();
  const scratch = scratchDir('portal-scale-');
  try {
    const orgFile = path.join(scratch, 'organisation.yaml');
    writeYaml(orgFile, mesh.catalog);
    const orgRefs = mesh.catalog.map(e =>
      `${e.kind}:default/${e.metadata.name}`.toLocaleLowerCase('en-US'),
    );
    const baseline = await runBaseline({ scratch, mesh, orgFile, options });
    const registry = await runRegistry({
      scratch,
      mesh,
      orgFile,
      orgRefs,
      options,
    });
    const run = {
      options,
      stats,
      baseline,
      registry,
      minutes: (Date.now() - benchStarted) / 60_000,
      date: new Date().toISOString().slice(0, 16).replace('T', ' '),
      machine: machine(),
    };
    fs.writeFileSync(
      path.join(os.tmpdir(), `portal-scale-${options.products}.json`),
      JSON.stringify(run, null, 2),
    );
    const table = formatTable(run);
    console.log(table);
    if (options.write) {
      writeSection(
        path.join(ROOT, 'docs/performance.md'),
        options.products,
        table,
      );
      log(
        `docs/performance.md: the section for N = ${options.products} replaced`,
      );
    }
    return 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
