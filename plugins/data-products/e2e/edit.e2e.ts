// Edit in Chromium, on a portal where the demo has run: Edit on Marketing
// Customer 360 opens the compose template pre-filled from the product; its
// last page shows the plan's diff (an added column, not breaking); applying
// it adds the column to the port. A second Edit takes the column away again
// (breaking, but nothing reads the port), so the other checks find the demo
// as it was.
import { type Page, expect, test } from '@playwright/test';
import { card, createAndWait, open, screenshot } from './support';

const PRODUCT_PAGE = '/catalog/default/dataproduct/marketing-customer-360';
const PORT_PAGE =
  '/catalog/default/outputport/marketing-customer-360-customer-activity';

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page.close();
});

/** Edit from the product page's menu, landing on the pre-filled template. */
async function edit() {
  await open(page, PRODUCT_PAGE);
  await page.getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  await page.waitForURL(
    /\/create\/templates\/default\/compose-data-product\?formData=/,
  );
  await expect(
    page.getByRole('textbox', { name: 'Title', exact: true }),
  ).toHaveValue('Marketing Customer 360');
  await page.getByRole('button', { name: 'Next' }).click();
}

/** The rows of the diff's column table of customer_activity. */
function columnChange(column: string) {
  return page
    .getByRole('table', { name: 'Column changes of customer_activity' })
    .locator('tr')
    .filter({ has: page.getByRole('cell', { name: column, exact: true }) });
}

/** The port page's Schema card lists `column`, once the catalog has the new port. */
async function schemaLists(column: string): Promise<boolean> {
  await open(page, PORT_PAGE);
  const schema = card(page, /^Schema$/);
  await expect(schema.locator('tbody tr').first()).toBeVisible();
  return (
    (await schema
      .locator('td', { hasText: new RegExp(`^${column}$`) })
      .count()) > 0
  );
}

test("the About card's edit pencil leads to Edit", async () => {
  await open(page, PRODUCT_PAGE);
  await expect(
    page.locator(
      'a[aria-label="Edit"][href$="/edit-data-product/default/marketing-customer-360"]',
    ),
  ).toBeVisible();
});

test('Edit shows the pre-filled template and the diff of an added column, then applies it', async () => {
  await edit();
  const model = page.getByRole('textbox', { name: 'Model SQL' });
  const sql = await model.inputValue();
  expect(sql).toContain("{{ source('sales_erp_orders', 'orders') }}");
  await model.fill(
    sql.replace(
      /s\.delivery_status\s*\nFROM/,
      's.delivery_status,\n  o.order_date\nFROM',
    ),
  );
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(
    page.getByRole('textbox', { name: 'Name of column 8' }),
  ).toHaveValue('delivery_status');
  await page.getByRole('button', { name: 'Add a column' }).click();
  // The plan of the empty row is refused first; typing once it is shown
  // reads as a user would (the Changes field writes only when its verdict
  // turns, and the refusal holds until the row is complete).
  await expect(
    page.getByRole('alert').filter({ hasText: 'spec.columns[8].name' }),
  ).toBeVisible();
  await page
    .getByRole('textbox', { name: 'Name of column 9' })
    .fill('order_date');
  await page.getByRole('textbox', { name: 'Type of column 9' }).fill('DATE');
  await page
    .getByRole('textbox', { name: 'Description of column 9' })
    .fill('The day the order was placed.');

  const added = columnChange('order_date');
  await expect(
    added.getByRole('cell', { name: 'added', exact: true }),
  ).toBeVisible();
  await expect(added.getByText('non-breaking', { exact: true })).toBeVisible();
  await expect(page.getByText('No consumers read this port.')).toBeVisible();
  await screenshot(page, 'edit-plan-diff');

  await page.getByRole('button', { name: 'Review' }).click();
  const result = await createAndWait(page);
  expect(result).toMatch(/marketing_360\.customer_activity/);
  await expect.poll(() => schemaLists('order_date')).toBe(true);
});

test('a second Edit removes the column again: breaking, applied as nothing reads the port', async () => {
  await edit();
  const model = page.getByRole('textbox', { name: 'Model SQL' });
  const sql = await model.inputValue();
  expect(sql).toContain('o.order_date');
  await model.fill(sql.replace(/,\s*\n\s*o\.order_date\s*\nFROM/, '\nFROM'));
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(
    page.getByRole('textbox', { name: 'Name of column 9' }),
  ).toHaveValue('order_date');
  await page.getByRole('button', { name: 'Drop column 9' }).click();

  const removed = columnChange('order_date');
  await expect(
    removed.getByRole('cell', { name: 'removed', exact: true }),
  ).toBeVisible();
  await expect(removed.getByText('breaking', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Review' }).click();
  await createAndWait(page);
  await expect.poll(() => schemaLists('order_date')).toBe(false);
});
