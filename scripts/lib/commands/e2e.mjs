// `./portal e2e`: the browser test. A portal on a fresh embedded database,
// the demo through the REST API, then headless Chromium through the pages.
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../postgres.mjs';
import { ROOT, runCounting, say, scratchDir } from '../process.mjs';
import { PORTAL_PORT, launchPortal, waitUntilReady } from '../server.mjs';

/** Runs the demo and the browser checks; prints `N passed, N failed` and resolves with the exit code. */
export default async function e2e() {
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
    const env = { ...portal.env, PORTAL_URL: url, E2E_SCREENSHOTS: path.join(ROOT, 'docs/images') };
    say('e2e: the demo scenario through the REST API');
    const demoRun = await runCounting(process.execPath, [path.join(ROOT, 'scripts/demo.mjs')], { env });
    if (demoRun.code === 0) passed++;
    else failed++;
    if (demoRun.code === 0) {
      say('e2e: the pages in headless Chromium');
      const browser = await runCounting(
        process.execPath,
        [path.join(ROOT, 'plugins/data-products/e2e/portal.e2e.mjs')],
        { env },
      );
      passed += browser.counts?.passed ?? 0;
      failed += browser.counts?.failed ?? 0;
      // A crash before any check ran still counts as a failure.
      if (browser.code !== 0 && !browser.counts?.failed) failed++;
    }
  } finally {
    portal.stop('SIGTERM');
    await portal.exited;
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
