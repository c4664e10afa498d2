// Refresh now, in Chromium, on a portal where the demo has run: a Sales user
// (an owner of Sales CRM Customers) rebuilds its customers port from the
// Freshness card and sees a new successful build; a Marketing user sees the
// port's freshness but no Refresh now.
import { type Page, expect, test } from '@playwright/test';
import { card, open, rowWith, screenshot } from './support';

const PORT_PAGE = '/catalog/default/outputport/sales-crm-customers-customers';
const PRODUCT_PAGE = '/catalog/default/dataproduct/sales-crm-customers';

test.describe.configure({ mode: 'serial' });

let sales: Page;
let marketing: Page;

test.beforeAll(async ({ browser }) => {
  sales = await (await browser.newContext()).newPage();
  marketing = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await sales.context().close();
  await marketing.context().close();
});

/** The text under a label of the Freshness card, e.g. its last successful build. */
function fact(page: Page, label: string) {
  return card(page, /^Freshness$/)
    .getByText(label, { exact: true })
    .locator('xpath=following-sibling::*[1]');
}

test('the port page shows the demo port fresh, with its policy', async () => {
  await open(sales, PORT_PAGE, 'ana.sales');
  const freshness = card(sales, /^Freshness$/);
  await expect(freshness.getByLabel('Freshness: fresh')).toBeVisible();
  await expect(fact(sales, 'Fresh for (maxAge)')).toHaveText('PT24H');
  await expect(fact(sales, 'Schedule')).toHaveText('every PT1H');
});

test('an owner clicks Refresh now: a new build, recorded as a manual refresh', async () => {
  const freshness = card(sales, /^Freshness$/);
  const before = await fact(sales, 'Last successful build').innerText();
  // Builds are timed to the second in the page: let one pass.
  await sales.waitForTimeout(1100);
  await freshness
    .getByRole('button', { name: 'Refresh customers now' })
    .click();
  await expect(
    sales.getByText(/^Refreshed customers: [\d,]+ rows$/),
  ).toBeVisible();
  await expect(fact(sales, 'Last successful build')).not.toHaveText(before);
  await expect(freshness.getByLabel('Freshness: fresh')).toBeVisible();
  const run = rowWith(freshness, 'manual');
  await expect(run.first()).toBeVisible();
  await expect(run.first().getByText('succeeded')).toBeVisible();
  await screenshot(sales, 'freshness-card');
});

test("the product page and the explorer show the product's freshness", async () => {
  await open(sales, PRODUCT_PAGE, 'ana.sales');
  const freshness = card(sales, /^Freshness$/);
  await expect(
    rowWith(freshness, 'customers').getByLabel('Freshness: fresh'),
  ).toBeVisible();
  await open(sales, '/data-products', 'ana.sales');
  await expect(
    sales
      .getByRole('row')
      .filter({ hasText: 'Sales CRM Customers' })
      .getByLabel('Freshness: fresh'),
  ).toBeVisible();
});

test('another team sees the freshness but no Refresh now', async () => {
  await open(marketing, PORT_PAGE, 'mark.marketing');
  const freshness = card(marketing, /^Freshness$/);
  await expect(freshness.getByLabel('Freshness: fresh')).toBeVisible();
  await expect(
    freshness.getByRole('button', { name: /^Refresh .* now$/ }),
  ).toHaveCount(0);
});
