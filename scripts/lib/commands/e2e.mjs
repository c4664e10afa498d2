// `./portal e2e`: the browser test. A portal on a fresh embedded database,
// the demo through the REST API, then Playwright drives Debian's Chromium
// through the pages (plugins/data-products/e2e).
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../postgres.mjs';
import { ROOT, run, runCounting, say, scratchDir } from '../process.mjs';
import { PORTAL_PORT, launchPortal, waitUntilReady } from '../server.mjs';

const PLAYWRIGHT_CONFIG = 'plugins/data-products/e2e/playwright.config.ts';

/**
 * The counts of Playwright's JSON report. A test skipped because an earlier
 * one of its serial group failed counts as failed; so does an error outside
 * any test (a broken config, a browser that does not start).
 */
function readReport(file) {
  if (!fs.existsSync(file)) return { passed: 0, failed: 1 };
  const { stats, errors = [] } = JSON.parse(fs.readFileSync(file, 'utf8'));
  return {
    passed: stats.expected + stats.flaky,
    failed: stats.unexpected + stats.skipped + errors.length,
  };
}

/**
 * Runs the demo and the browser checks; prints `N passed, N failed` and
 * resolves with the exit code. Screenshots for the documentation are saved
 * only when E2E_SCREENSHOTS names a folder (e.g. docs/images). Spec files
 * given on the command line run alone (Playwright's own filter).
 */
export default async function e2e({ positionals = [] } = {}) {
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const scratch = scratchDir('portal-e2e-');
  const portal = await launchPortal({
    dataDir: path.join(scratch, 'postgres'),
    pgPort: await freePort(),
  });
  const url = `http://localhost:${PORTAL_PORT}`;
  let passed = 0;
  let failed = 0;
  try {
    await waitUntilReady(url, 180);
    const report = path.join(scratch, 'playwright-report.json');
    const env = { ...portal.env, PORTAL_URL: url, E2E_REPORT: report };
    say(`e2e: the portal is ready after ${elapsed()}; the demo scenario through the REST API`);
    const demoRun = await runCounting(process.execPath, [path.join(ROOT, 'scripts/demo.mjs')], { env });
    if (demoRun.code === 0) passed++;
    else failed++;
    if (demoRun.code === 0) {
      say(`e2e: the pages in headless Chromium (after ${elapsed()})`);
      await run(path.join(ROOT, 'node_modules/.bin/playwright'), ['test', '--config', PLAYWRIGHT_CONFIG, ...positionals], { env });
      const browser = readReport(report);
      passed += browser.passed;
      failed += browser.failed;
    }
  } finally {
    portal.stop('SIGTERM');
    await portal.exited;
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  say(`e2e: done after ${elapsed()}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
