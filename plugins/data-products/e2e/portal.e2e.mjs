// Browser test of the data product pages: drives Debian's Chromium with
// playwright-core through a running portal on which the demo has run. Then it
// clicks through both scaffolder templates to a provisioned product; run again
// against the same portal, the templates update those products.
//
// Environment: PORTAL_URL (default http://localhost:7007), E2E_SCREENSHOTS
// (folder for the screenshots, default docs/images at the repository root),
// CHROMIUM (default /usr/bin/chromium). Exits non-zero when a check fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports -- run only by ./portal e2e, with the wait helper its scripts share
import { waitFor } from '../../../scripts/lib/wait.mjs';

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
/** The page a failing check leaves a screenshot of (in the temp folder). */
let currentPage;

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
    if (currentPage) {
      const file = path.join(os.tmpdir(), `portal-e2e-failure-${failed}.png`);
      await currentPage
        .screenshot({ path: file, fullPage: true })
        .then(() => log(`  at ${currentPage.url()}, screenshot ${file}`))
        .catch(() => {});
    }
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

const TASK_TIMEOUT_MS = 180_000;

/** Waits until `condition()` is truthy, polling; fails with `message()`. */
async function until(condition, message, timeoutMs = TIMEOUT_MS) {
  await waitFor(async () => Boolean(await condition()), {
    timeoutMs,
    intervalMs: 100,
    onTimeout: async () => new Error(await message()),
  });
}

/** Waits until the input shows `value`. */
async function untilValue(input, value) {
  await until(
    async () => (await input.inputValue()) === value,
    async () =>
      `expected "${value}", the field holds "${await input.inputValue()}"`,
  );
}

/**
 * Asserts that the Output ports card of the open product page shows `port`
 * as provisioned at `object` with a row count above zero; returns the count.
 */
async function expectProvisionedPort(page, port, object) {
  const row = card(page, /^Output ports$/)
    .locator('tr')
    .filter({ has: page.getByRole('link', { name: port, exact: true }) });
  await row.getByText('provisioned', { exact: true }).waitFor();
  await row.getByText(object, { exact: true }).waitFor();
  let cells = [];
  const rowCount = () =>
    cells.map(c => c.trim()).find(c => /^\d{1,3}(,\d{3})*$/.test(c));
  await until(
    async () => {
      cells = await row.locator('td').allInnerTexts();
      return rowCount() && Number(rowCount().replace(/,/g, '')) > 0;
    },
    () => `no row count in the port row: ${cells.join(' | ')}`,
  );
  return rowCount();
}

/** Opens Create and chooses the template titled `title`. */
async function chooseTemplate(page, title) {
  await open(page, '/create');
  await page
    .locator('.MuiCard-root')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) })
    .getByRole('button', { name: 'Choose' })
    .click();
  await page.getByRole('heading', { name: title, exact: true }).waitFor();
}

/** Picks `option` in the autocomplete labelled `label`, typing `search` first. */
async function pick(page, label, option, search = option) {
  const input = page.getByRole('textbox', { name: label, exact: true });
  await input.click();
  await input.fill(search);
  await page
    .getByRole('listbox', { name: label })
    .getByRole('option', { name: option, exact: true })
    .click();
}

/** Fills the first page both templates share: About the product. */
async function fillAboutTheProduct(
  page,
  { title, description, owner, domain },
) {
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill(title);
  await page
    .getByRole('textbox', { name: 'Description', exact: true })
    .fill(description);
  await pick(page, 'Owner', owner);
  await pick(page, 'Domain', domain);
  await page.getByRole('button', { name: 'Next' }).click();
}

/** Asserts the Review page shows `value` for the field titled `field`. */
async function expectReviewed(page, field, value) {
  await page
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: field, exact: true }) })
    .getByRole('cell', { name: value, exact: true })
    .waitFor();
}

/**
 * Clicks Create on the Review page and waits for the task to finish; fails
 * with the task's error when a step fails. Returns the Provisioned text.
 */
async function createAndWait(page) {
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL(/\/create\/tasks\//);
  const link = page.getByRole('link', { name: 'Open the data product' });
  const failure = page.getByRole('alert');
  await link.or(failure).first().waitFor({ timeout: TASK_TIMEOUT_MS });
  if (await failure.first().isVisible()) {
    throw new Error(
      `the task failed (${page.url()}): ${await failure.first().innerText()}`,
    );
  }
  const provisioned = card(page, /^Provisioned$/);
  await provisioned.getByText(/holds the output port/).waitFor();
  return (await provisioned.innerText()).replace(/\s+/g, ' ');
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
  currentPage = page;
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
        const rowCount = await expectProvisionedPort(
          page,
          'customer_activity',
          'marketing_360.customer_activity',
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
        // Marketing Order Stats (below) joins it once the template ran.
        await page.getByText(/^Data products \([12]\)$/).waitFor();
        await page
          .getByRole('link', { name: 'Sales ERP Orders', exact: true })
          .waitFor({ state: 'detached' });
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

    await check(
      'the expose-source-table template provisions a product from the form',
      async () => {
        await chooseTemplate(page, 'Expose a source table as a data product');
        await fillAboutTheProduct(page, {
          title: 'Logistics Shipment Feed',
          description: 'Every shipment as the warehouse system sees it, live.',
          owner: 'Logistics',
          domain: 'Logistics',
        });
        await pick(page, 'Source table', 'sources.wms_shipments', 'wms');
        // The columns and the schema fill in from the source table.
        const columns = page.getByRole('table', { name: 'Columns' });
        for (const column of [
          'shipment_id',
          'order_ref',
          'shipped_date',
          'delivery_status',
        ]) {
          await columns
            .getByRole('textbox', { name: `Description of ${column}` })
            .waitFor();
        }
        const schema = page.getByRole('textbox', {
          name: 'Schema',
          exact: true,
        });
        await untilValue(schema, 'logistics_wms');
        await schema.fill('logistics_feed');
        await page
          .getByRole('textbox', { name: 'Output port name', exact: true })
          .fill('shipments_feed');
        await page.getByRole('button', { name: /^Materialization/ }).click();
        await page
          .getByRole('option', { name: 'View (live, real-time)' })
          .click();
        await untilValue(schema, 'logistics_feed');
        await screenshot(page, 'template-expose-source-table-form');

        await page.getByRole('button', { name: 'Review' }).click();
        await expectReviewed(page, 'Title', 'Logistics Shipment Feed');
        await expectReviewed(
          page,
          'Source table',
          'resource:default/wms-shipments',
        );
        await expectReviewed(page, 'Schema', 'logistics_feed');
        await expectReviewed(page, 'Output port name', 'shipments_feed');
        await expectReviewed(page, 'Materialization', 'View (live, real-time)');
        const result = await createAndWait(page);
        expect(
          /logistics_feed\.shipments_feed \(\d+ rows\)/.test(result),
          `unexpected result: ${result}`,
        );
        await screenshot(page, 'template-expose-source-table-result');

        await page.getByRole('link', { name: 'Open the data product' }).click();
        await page.waitForURL(/\/dataproduct\/logistics-shipment-feed$/);
        await page
          .getByRole('heading', { name: 'Logistics Shipment Feed' })
          .waitFor();
        const rows = await expectProvisionedPort(
          page,
          'shipments_feed',
          'logistics_feed.shipments_feed',
        );
        log(`  shipments_feed rows: ${rows}`);
      },
    );

    await check(
      'the compose template provisions a product from the form',
      async () => {
        await chooseTemplate(page, 'Compose a consumer-aligned data product');
        await fillAboutTheProduct(page, {
          title: 'Marketing Order Stats',
          description: 'Orders and revenue per day, for campaign planning.',
          owner: 'Marketing',
          domain: 'Marketing',
        });
        await pick(page, 'Input output ports', 'orders');
        await page
          .getByRole('textbox', { name: 'Schema', exact: true })
          .fill('marketing_order_stats');
        await page
          .getByRole('textbox', { name: 'Output port name', exact: true })
          .fill('daily_orders');
        // The editor offers the input's source() reference.
        const reference = "{{ source('sales_erp_orders', 'orders') }}";
        await page.getByRole('button', { name: reference }).waitFor();
        await page
          .getByRole('textbox', { name: 'Model SQL' })
          .fill(
            [
              'SELECT order_date,',
              '       count(*)::INTEGER AS orders,',
              '       sum(total_amount)::DECIMAL(12,2) AS revenue',
              `FROM ${reference}`,
              'GROUP BY order_date',
            ].join('\n'),
          );
        await screenshot(page, 'template-compose-data-product-form');
        await page.getByRole('button', { name: 'Next' }).click();

        const declared = [
          ['order_date', 'DATE', 'The day the orders were placed.'],
          ['orders', 'INTEGER', 'How many orders were placed that day.'],
          ['revenue', 'DECIMAL(12,2)', 'The total of those orders.'],
        ];
        await page
          .getByRole('heading', { name: 'Declared columns', exact: true })
          .waitFor();
        for (const [index, [name, type, description]] of declared.entries()) {
          const names = page.getByRole('textbox', {
            name: 'Name',
            exact: true,
          });
          if ((await names.count()) <= index) {
            await page.getByRole('button', { name: 'Add Item' }).click();
          }
          await names.nth(index).fill(name);
          await page
            .getByRole('textbox', { name: 'Type', exact: true })
            .nth(index)
            .fill(type);
          await page
            .getByRole('textbox', { name: 'Description', exact: true })
            .nth(index)
            .fill(description);
        }
        await page.getByRole('button', { name: 'Review' }).click();
        await expectReviewed(page, 'Title', 'Marketing Order Stats');
        await expectReviewed(page, 'Schema', 'marketing_order_stats');
        await expectReviewed(page, 'Output port name', 'daily_orders');
        const result = await createAndWait(page);
        expect(
          /marketing_order_stats\.daily_orders \(\d+ rows\)/.test(result),
          `unexpected result: ${result}`,
        );
        await screenshot(page, 'template-compose-data-product-result');

        await page.getByRole('link', { name: 'Open the data product' }).click();
        await page.waitForURL(/\/dataproduct\/marketing-order-stats$/);
        await page
          .getByRole('heading', { name: 'Marketing Order Stats' })
          .waitFor();
        const rows = await expectProvisionedPort(
          page,
          'daily_orders',
          'marketing_order_stats.daily_orders',
        );
        log(`  daily_orders rows: ${rows}`);
        await card(page, /^Inputs \(1\)$/)
          .getByRole('link', { name: 'orders', exact: true })
          .waitFor();
      },
    );
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
