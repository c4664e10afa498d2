// The scale bench's table (measure, ours, baseline, goal, met?) and its
// section of docs/performance.md, between <!-- scale:N --> markers.
import fs from 'node:fs';

const NA = 'not available';
const fmt = (value, digits = 0, unit = '') =>
  value === undefined || value === null || Number.isNaN(value)
    ? NA
    : `${value.toFixed(digits)}${unit}`;
const seconds = v => fmt(v, 1, ' s');
const ms = v => fmt(v, 0, ' ms');
const yes = ok => (ok === undefined ? '—' : ok ? '**yes**' : '**no**');
const met = (value, test) =>
  value === undefined || value === null || Number.isNaN(value)
    ? undefined
    : test(value);

/** The rows of one run. */
function rows(run) {
  const { baseline, registry, options, stats } = run;
  const ours = registry.ingest?.complete;
  const base = baseline.ingest?.complete;
  const ingestNote = (side, result) =>
    result?.complete === undefined && result
      ? `not complete after ${
          run.options.ingestMinutes
        } min: ${result.completeCount.toLocaleString(
          'en-US',
        )} of ${result.total.toLocaleString('en-US')} entities`
      : undefined;
  const lineage = registry.lineage ?? {};
  const hubs = lineage.hubs ?? [];
  const hubRatios = hubs.map(h => h.walk / h.ours);
  const minRatio = hubRatios.length ? Math.min(...hubRatios) : undefined;
  const register = registry.register ?? {};
  const provision = registry.provision ?? {};
  const explorer = registry.explorer ?? {};
  const mesh = registry.mesh ?? {};
  const conns = list => (list ?? []).reduce((s, r) => s + r.n, 0);
  return [
    [
      `Ingest: ${stats.products} products + ${stats.ports} ports complete with relations`,
      ingestNote('ours', registry.ingest) ?? seconds(ours),
      ingestNote('baseline', baseline.ingest) ?? seconds(base),
      '≤ 1.2 × baseline',
      yes(met(ours, v => base !== undefined && v <= 1.2 * base)),
    ],
    [
      'Ingest: every entity present (relations aside)',
      seconds(registry.ingest?.present),
      seconds(baseline.ingest?.present),
      '—',
      '—',
    ],
    [
      `Ingest: the registrations alone (${
        (options.batchSize ?? 1) > 1
          ? `batches of ${options.batchSize}`
          : 'one product a request'
      }, ${options.concurrency} in flight; failed)`,
      `${seconds(registry.registration?.seconds)} (${
        registry.registration?.failures.length ?? NA
      } failed)`,
      '—',
      '—',
      '—',
    ],
    [
      `Idle backend CPU over ${options.idleSeconds} s after ingest (share of one core)`,
      fmt(registry.idle && registry.idle.cpu * 100, 1, ' %'),
      fmt(baseline.idle && baseline.idle.cpu * 100, 1, ' %'),
      '≤ 1.2 × baseline',
      yes(met(registry.idle?.cpu, v => v <= 1.2 * baseline.idle?.cpu)),
    ],
    [
      'Backend RSS after ingest',
      fmt(registry.idle?.rss, 0, ' MiB'),
      fmt(baseline.idle?.rss, 0, ' MiB'),
      '—',
      '—',
    ],
    [
      'PostgreSQL connections at idle (peak during ingest)',
      `${conns(registry.connections)} (${
        registry.ingest?.peakConnections ?? NA
      })`,
      `${conns(baseline.connections)} (${
        baseline.ingest?.peakConnections ?? NA
      })`,
      '—',
      '—',
    ],
    [
      `\`dataproduct:register\` as the action does it (by-refs check, \`PUT\`, then until the catalog serves product and port, polled every 100 ms), p50 / p95 of ${
        register.count ?? 20
      } in sequence (the \`PUT\` alone, p50)`,
      register.error
        ? NA
        : `${ms(register.p50)} / ${ms(register.p95)} (${ms(register.put)})`,
      '—',
      'p50 ≤ 500 ms',
      yes(met(register.p50, v => v <= 500)),
    ],
    [
      `Sequential provisioning: template runs (expose-source-table) per minute, ${
        provision.completed ?? 0
      } of ${provision.count ?? options.templateRuns} completed`,
      provision.error ? NA : fmt(provision.perMinute, 1, '/min'),
      '—',
      '≥ 60/min',
      yes(met(provision.perMinute, v => v >= 60)),
    ],
    [
      'Explorer: first rows (navigation start → first row); baseline: fetch every DataProduct and OutputPort + build rows',
      seconds(
        explorer.firstRows === undefined
          ? undefined
          : explorer.firstRows / 1000,
      ),
      explorer.old === undefined
        ? NA
        : `≥ ${seconds(explorer.old / 1000)} (${explorer.oldRows} rows)`,
      '≤ 1.5 s',
      yes(met(explorer.firstRows, v => v <= 1500)),
    ],
    [
      `Lineage of one product (\`GET /lineage\`), p50 / p95 of ${
        lineage.count ?? 200
      }`,
      lineage.error ? NA : `${ms(lineage.p50)} / ${ms(lineage.p95)}`,
      '—',
      'p95 ≤ 50 ms',
      yes(met(lineage.p95, v => v <= 50)),
    ],
    [
      `Lineage of the ${hubs.length} largest hubs: ours vs one catalog request per entity (the middle hub; nodes per hub; smallest speed-up)`,
      hubs.length
        ? `${ms(percentile(hubs.map(h => h.ours)))} (${hubs
            .map(h => h.nodes.ours)
            .join('/')} nodes)`
        : NA,
      hubs.length
        ? `${ms(percentile(hubs.map(h => h.walk)))} (${hubs
            .map(h => h.nodes.walk)
            .join('/')} nodes)`
        : NA,
      '≥ 10× faster',
      hubs.length ? `${yes(minRatio >= 10)} (${minRatio.toFixed(1)}×)` : '—',
    ],
    [
      'Mesh view: time to interactive (click on its tab → ready marker; from navigation start in brackets)',
      mesh.error
        ? NA
        : `${seconds(mesh.interactive / 1000)} (${seconds(
            mesh.fromNavigation / 1000,
          )})`,
      '—',
      '≤ 2 s',
      yes(met(mesh.interactive, v => v <= 2000)),
    ],
    [
      'Mesh view: longest long task from the click until 1 s after ready',
      mesh.error ? NA : ms(mesh.longest),
      '—',
      '≤ 200 ms',
      yes(met(mesh.longest, v => v <= 200)),
    ],
  ];
}

function percentile(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The run as a Markdown table, with a line on the mesh, the machine and the date. */
export function formatTable(run) {
  const { stats } = run;
  const header = ['measure', 'ours', 'baseline', 'goal', 'met?'];
  const body = rows(run);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map(r => String(r[i]).length)),
  );
  const line = cells =>
    `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [
    `N = ${stats.products.toLocaleString(
      'en-US',
    )} products: ${stats.ports.toLocaleString('en-US')} ports, ${
      stats.domains
    } domains, ${stats.resources.toLocaleString(
      'en-US',
    )} source tables; products by chain depth 0–6: ${stats.byDepth.join(
      ', ',
    )}; hub ports read by ${stats.hubs.join(', ')} products. Run of ${
      run.date
    } UTC, ${run.minutes.toFixed(0)} min, seed ${run.options.seed}; ${
      run.machine
    }.`,
    '',
    line(header),
    line(widths.map(w => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}

/** Replaces (or appends) the section of `products` in `file`, between its markers. */
export function writeSection(file, products, table) {
  const open = `<!-- scale:${products} -->`;
  const close = `<!-- /scale:${products} -->`;
  const text = fs.readFileSync(file, 'utf8');
  const section = `${open}\n\n${table}\n\n${close}`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  const next =
    start !== -1 && end > start
      ? `${text.slice(0, start)}${section}${text.slice(end + close.length)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
}
