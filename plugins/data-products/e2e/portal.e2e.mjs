// Browser test of the data product pages: drives Debian's Chromium with
// playwright-core through a running portal on which the demo has run.
//
// Environment: PORTAL_URL (default http://localhost:7007), E2E_SCREENSHOTS
// (folder for the screenshots, default docs/images at the repository root),
// CHROMIUM (default /usr/bin/chromium). Exits non-zero when a check fails.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../..',
);
const PORTAL_URL = (process.env.PORTAL_URL || 'http://localhost:7007').replace(
  /\/$/,
  '',
);
const SCREENSHOTS =
  process.env.E2E_SCREENSHOTS || path.join(ROOT, 'docs/images');
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = 60_000;
const SOURCE_TABLES = [
  'sources.crm_customers',
  'sources.erp_orders',
  'sources.wms_shipments',
];
const DECLARED_COLUMNS = [
  'customer_id',
  'customer_name',
  'customer_email',
  'account_age_days',
  'order_id',
  'order_total',
  'days_from_order_to_ship',
  'delivery_status',
];

const log = line => process.stdout.write(`${line}\n`);

let passed = 0;
let failed = 0;

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed++;
    log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed++;
    log(
      `not ok - ${name}\n  ${String(error?.message ?? error)
        .split('\n')
        .join('\n  ')}`,
    );
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** The card whose header title is exactly `title` (a string or a RegExp). */
function card(page, title) {
  return page
    .locator('.MuiCard-root')
    .filter({ has: page.locator('.MuiCardHeader-title', { hasText: title }) })
    .first();
}

async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
  });
}

/** Opens a portal page, signing in as guest when the sign-in page shows. */
async function open(page, route) {
  await page.goto(`${PORTAL_URL}${route}`, { waitUntil: 'domcontentloaded' });
  const enter = page.getByRole('button', { name: /^enter$/i });
  const sidebar = page.getByRole('link', { name: 'Data products' });
  await enter.or(sidebar).first().waitFor();
  if (await enter.isVisible()) {
    await enter.click();
    await sidebar.waitFor();
  }
}

async function main() {
  const browser = await chromium.launch({
    executablePath: EXECUTABLE,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1600, height: 1000 },
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  try {
    await check('Marketing Customer 360 shows its 3 inputs', async () => {
      await open(page, '/catalog/default/dataproduct/marketing-customer-360');
      const inputs = card(page, /^Inputs \(3\)$/);
      await inputs.waitFor();
      for (const port of ['customers', 'orders', 'shipments']) {
        await inputs.getByRole('link', { name: port, exact: true }).waitFor();
      }
      for (const product of [
        'Sales CRM Customers',
        'Sales ERP Orders',
        'Logistics WMS Shipments',
      ]) {
        await inputs.getByText(product, { exact: true }).waitFor();
      }
    });

    await check(
      'its customer_activity port is provisioned with a row count',
      async () => {
        const ports = card(page, /^Output ports$/);
        const row = ports.locator('tr', { hasText: 'customer_activity' });
        await row.getByText('provisioned', { exact: true }).waitFor();
        await row
          .getByText('marketing_360.customer_activity', { exact: true })
          .waitFor();
        const cells = await row.locator('td').allInnerTexts();
        const rowCount = cells
          .map(c => c.trim())
          .find(c => /^\d{1,3}(,\d{3})*$/.test(c));
        expect(
          rowCount && Number(rowCount.replace(/,/g, '')) > 0,
          `no row count in the port row: ${cells.join(' | ')}`,
        );
        log(`  customer_activity rows: ${rowCount}`);
      },
    );

    await check(
      'its lineage graph reaches the three source tables',
      async () => {
        const lineage = card(page, /^Lineage$/);
        for (const table of SOURCE_TABLES) {
          await lineage
            .locator('[data-testid="lineage-node"]', { hasText: table })
            .waitFor();
        }
        const nodes = await lineage
          .locator('[data-testid="lineage-node"]')
          .count();
        expect(nodes >= 11, `expected at least 11 lineage nodes, saw ${nodes}`);
        await page.waitForTimeout(500);
        await screenshot(page, 'data-product-page');
      },
    );

    await check(
      'the port page shows the 8 declared columns beside the warehouse',
      async () => {
        await card(page, /^Output ports$/)
          .getByRole('link', { name: 'customer_activity', exact: true })
          .click();
        await page.waitForURL(
          /\/outputport\/marketing-customer-360-customer-activity/,
        );
        const schema = card(page, /^Schema$/);
        await schema.waitFor();
        for (const column of DECLARED_COLUMNS) {
          await schema
            .locator('td', { hasText: new RegExp(`^${column}$`) })
            .first()
            .waitFor();
        }
        const rows = await schema.locator('tbody tr').count();
        expect(rows === 8, `expected 8 schema rows, saw ${rows}`);
        await schema
          .getByText("The customer's full name (first and last).")
          .waitFor();
        await schema.getByText('numeric(10,2)').waitFor();
        const drift = await schema
          .getByText(/differs from the contract/)
          .count();
        expect(drift === 0, 'the warehouse reports contract drift');
        await screenshot(page, 'output-port-page');
      },
    );

    await check('the Lineage tab draws the full graph', async () => {
      await open(
        page,
        '/catalog/default/dataproduct/marketing-customer-360/lineage',
      );
      for (const table of SOURCE_TABLES) {
        await page
          .locator('[data-testid="lineage-node"]', { hasText: table })
          .waitFor();
      }
      await page.waitForTimeout(500);
      await screenshot(page, 'lineage-tab');
    });

    await check('the Model tab links every source() to its port', async () => {
      await open(
        page,
        '/catalog/default/dataproduct/marketing-customer-360/model',
      );
      for (const [product, port] of [
        ['sales_crm_customers', 'customers'],
        ['sales_erp_orders', 'orders'],
        ['logistics_wms_shipments', 'shipments'],
      ]) {
        await page
          .getByRole('link', { name: `{{ source('${product}', '${port}') }}` })
          .waitFor();
      }
      await screenshot(page, 'model-tab');
    });

    await check(
      'the data products page lists every product and filters by domain',
      async () => {
        await open(page, '/data-products');
        await page.getByText(/^Data products \(\d+\)$/).waitFor();
        for (const title of [
          'Sales CRM Customers',
          'Sales ERP Orders',
          'Logistics WMS Shipments',
          'Marketing Customer 360',
        ]) {
          await page.getByRole('link', { name: title, exact: true }).waitFor();
        }
        await screenshot(page, 'data-products-page');
        await page
          .locator('#data-products-filter-domain')
          .selectOption('sales');
        await page.getByText(/^Data products \(2\)$/).waitFor();
        expect(
          (await page
            .getByRole('link', { name: 'Marketing Customer 360', exact: true })
            .count()) === 0,
          'Marketing Customer 360 is still listed under domain sales',
        );
        await page
          .getByRole('link', { name: 'Sales ERP Orders', exact: true })
          .waitFor();
        await page
          .locator('#data-products-filter-domain')
          .selectOption('marketing');
        await page.getByText(/^Data products \(1\)$/).waitFor();
        await page
          .getByRole('link', { name: 'Marketing Customer 360', exact: true })
          .waitFor();
      },
    );

    await check('the mesh lineage shows every product', async () => {
      await page.getByRole('tab', { name: 'Mesh lineage' }).click();
      for (const table of SOURCE_TABLES) {
        await page
          .locator('[data-testid="lineage-node"]', { hasText: table })
          .waitFor();
      }
      await page
        .locator('[data-testid="lineage-node"]', {
          hasText: 'Marketing Customer 360',
        })
        .waitFor();
      await page.waitForTimeout(500);
      await screenshot(page, 'mesh-lineage');
    });
  } finally {
    await browser.close();
  }
  log(`browser: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch(error => {
  log(String(error?.stack ?? error));
  process.exitCode = 1;
});
