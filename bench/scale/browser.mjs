// The page measurements in headless Chromium (Debian's, through
// playwright-core, with the launch options of the browser test): time from
// navigation start until an element appears, the longest long task
// meanwhile, and the old explorer's load (every DataProduct and OutputPort
// through the catalog API, and its rows built) timed in the same browser.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const LAUNCH = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

/**
 * Installed before any page script: records when the first element matching
 * `window.__benchSelector` appears (ms since navigation start) and every long
 * task (PerformanceObserver 'longtask').
 */
function instrument() {
  window.__bench = { longTasks: [], seenAt: undefined };
  try {
    new PerformanceObserver(list => {
      for (const entry of list.getEntries()) {
        window.__bench.longTasks.push({
          start: entry.startTime,
          duration: entry.duration,
        });
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    window.__bench.noLongTasks = true;
  }
  const check = () => {
    const selector = sessionStorage.getItem('benchSelector');
    if (!selector || window.__bench.seenAt !== undefined) return;
    if (document.querySelector(selector))
      window.__bench.seenAt = performance.now();
  };
  new MutationObserver(check).observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
  });
}

/** A browser signed in to the portal as guest; `close()` when done. */
export async function openBrowser(url) {
  const browser = await chromium.launch(LAUNCH);
  const context = await browser.newContext({
    baseURL: url,
    viewport: { width: 1600, height: 1000 },
  });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  const enter = page.getByRole('button', { name: 'Enter', exact: true });
  const sidebar = page.getByRole('link', { name: 'Data products' });
  await enter.or(sidebar).first().waitFor({ timeout: 120_000 });
  if (await enter.isVisible()) {
    await enter.click();
    await sidebar.waitFor({ timeout: 120_000 });
  }
  return { browser, context, page, close: () => browser.close() };
}

/**
 * Opens `route` in a fresh navigation, clicks the tab named `tab` (a
 * RegExp) as soon as it shows when one is given, and waits (up to
 * `timeoutMs`) for `selector`. Resolves with `at` (ms from navigation start
 * until the element appeared; undefined when it never did), `fromClick` (ms
 * from the click), and the longest long task and the count of long tasks
 * from the click (from navigation start without a tab) until 1 s after the
 * element appeared.
 */
export async function timeToSelector(
  session,
  route,
  selector,
  { tab, timeoutMs = 120_000, screenshot } = {},
) {
  const { page } = session;
  await page.evaluate(
    s => sessionStorage.setItem('benchSelector', s),
    selector,
  );
  await page.goto(route, { waitUntil: 'commit' });
  let clickAt = 0;
  if (tab) {
    const tabButton = page.getByRole('tab', { name: tab });
    await tabButton.waitFor({ timeout: timeoutMs });
    clickAt = await page.evaluate(() => performance.now());
    await tabButton.click();
  }
  let at;
  try {
    await page.waitForFunction(
      () => window.__bench?.seenAt !== undefined,
      undefined,
      {
        timeout: timeoutMs,
        polling: 100,
      },
    );
    at = await page.evaluate(() => window.__bench.seenAt);
  } catch {
    at = undefined;
  }
  // Long tasks right after the marker still block the first interactions.
  await page.waitForTimeout(1000);
  const { longTasks, noLongTasks } = await page.evaluate(() => window.__bench);
  const until = (at ?? Infinity) + 1000;
  const relevant = longTasks.filter(
    t => t.start + t.duration >= clickAt && t.start <= until,
  );
  if (screenshot && at !== undefined) {
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });
  }
  return {
    at,
    fromClick: at === undefined ? undefined : at - clickAt,
    longest: noLongTasks
      ? undefined
      : Math.max(0, ...relevant.map(t => t.duration)),
    longTasks: relevant.length,
  };
}

/**
 * The old explorer's load, in the page: every DataProduct and OutputPort in
 * one catalog request (as `catalogApi.getEntities({ filter: { kind:
 * ['DataProduct', 'OutputPort'] } })` asked), parsed, and one row per
 * product built with its ports (as `toProductRows` did). Resolves with the
 * ms it took and the row count; the page's own start and its rendering of
 * the rows come on top, so this is a lower bound of the old page's time to
 * first rows.
 */
export async function oldExplorerLoad(session, token) {
  return session.page.evaluate(async bearer => {
    const started = performance.now();
    const response = await fetch(
      '/api/catalog/entities?filter=kind=dataproduct,kind=outputport',
      {
        headers: { Authorization: `Bearer ${bearer}` },
      },
    );
    const entities = await response.json();
    const portsOf = new Map();
    for (const e of entities) {
      if (e.kind !== 'OutputPort') continue;
      const product = String(e.spec?.dataProduct ?? '')
        .replace(/^dataproduct:(default\/)?/i, '')
        .toLowerCase();
      if (!portsOf.has(product)) portsOf.set(product, []);
      portsOf.get(product).push(e);
    }
    const rows = entities
      .filter(e => e.kind === 'DataProduct')
      .map(e => ({
        id: `dataproduct:${e.metadata.namespace ?? 'default'}/${
          e.metadata.name
        }`,
        product: e,
        title: e.metadata.title ?? e.metadata.name,
        owner: e.spec?.owner,
        domain: e.spec?.domain,
        type: e.spec?.type,
        lifecycle: e.spec?.lifecycle,
        ports: portsOf.get(e.metadata.name.toLowerCase()) ?? [],
      }))
      .sort((a, b) => a.title.localeCompare(b.title));
    return {
      ms: performance.now() - started,
      rows: rows.length,
      status: response.status,
    };
  }, token);
}
