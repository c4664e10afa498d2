// The browser test of the data product pages, run by `./portal e2e` against
// a fresh portal on which the demo has run. Debian's Chromium, never a
// downloaded browser.
//
// Environment: PORTAL_URL (default http://localhost:7007); CHROMIUM (default
// /usr/bin/chromium); E2E_REPORT (the JSON report, default in the temp
// folder); E2E_SCREENSHOTS (a folder to save the documentation's screenshots
// to; none are taken without it).
import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';

export default defineConfig({
  testDir: __dirname,
  testMatch: /\.e2e\.ts$/,
  // The checks build on each other and share one portal: one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  // A scaffolder task provisions a product in a test: minutes, not seconds.
  timeout: 5 * 60_000,
  expect: { timeout: 60_000 },
  outputDir: path.join(os.tmpdir(), 'portal-e2e-results'),
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.E2E_REPORT ??
          path.join(os.tmpdir(), 'portal-e2e-report.json'),
      },
    ],
  ],
  use: {
    baseURL: (process.env.PORTAL_URL || 'http://localhost:7007').replace(
      /\/$/,
      '',
    ),
    viewport: { width: 1600, height: 1000 },
    actionTimeout: 60_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
