// Column lineage in the Lineage tab, on a portal where the demo has run:
// expand customer_activity into its columns, click customer_name, and see
// where it comes from, back to the CRM's source table.
import { type Page, expect, test } from '@playwright/test';
import { open, screenshot } from './support';

const ACTIVITY = 'outputport:default/marketing-customer-360-customer-activity';
const CUSTOMERS = 'outputport:default/sales-crm-customers-customers';
const CRM_TABLE = 'resource:default/crm-customers';
const ORDERS = 'outputport:default/sales-erp-orders-orders';

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page.close();
});

const node = (entityRef: string) =>
  page.locator(`[data-testid="lineage-node"][data-entity-ref="${entityRef}"]`);

const column = (entityRef: string, name: string) =>
  node(entityRef).locator(
    `[data-testid="lineage-column"][data-column="${name}"]`,
  );

test('customer_activity opens into its columns', async () => {
  await open(
    page,
    '/catalog/default/dataproduct/marketing-customer-360/lineage',
  );
  await node(ACTIVITY).getByTestId('lineage-columns-toggle').click();
  for (const name of [
    'customer_id',
    'customer_name',
    'customer_email',
    'account_age_days',
    'order_id',
    'order_total',
    'days_from_order_to_ship',
    'delivery_status',
  ]) {
    await expect(column(ACTIVITY, name)).toBeVisible();
  }
  // The columns its lineage reaches show in its inputs and their sources.
  await expect(column(CUSTOMERS, 'first_name')).toBeVisible();
  await expect(column(CRM_TABLE, 'first_name')).toBeVisible();
});

test('clicking customer_name highlights first_name and last_name back to the source table', async () => {
  await column(ACTIVITY, 'customer_name').click();
  await expect(column(ACTIVITY, 'customer_name')).toHaveAttribute(
    'data-highlight',
    'selected',
  );
  for (const entityRef of [CUSTOMERS, CRM_TABLE]) {
    for (const name of ['first_name', 'last_name']) {
      await expect(column(entityRef, name)).toHaveAttribute(
        'data-highlight',
        'upstream',
      );
      await expect(column(entityRef, name)).toHaveAttribute(
        'data-direct',
        'true',
      );
    }
  }
  await expect(column(CUSTOMERS, 'first_name')).toContainText('transformation');
  // The join key shapes its rows: highlighted, as indirect.
  await expect(column(CUSTOMERS, 'id')).toHaveAttribute('data-direct', 'false');
  // What it does not derive from is dimmed.
  await expect(column(CUSTOMERS, 'email')).toHaveAttribute(
    'data-highlight',
    'dimmed',
  );
  await expect(column(ORDERS, 'total_amount')).toHaveAttribute(
    'data-highlight',
    'dimmed',
  );
  // Still on the product's Lineage tab: a column click is not a link.
  await expect(page).toHaveURL(/marketing-customer-360\/lineage$/);
  await screenshot(page, 'column-lineage');
});

test("clicking customer_email shows it copied from the CRM's email", async () => {
  await column(ACTIVITY, 'customer_email').click();
  await expect(column(CUSTOMERS, 'email')).toHaveAttribute(
    'data-highlight',
    'upstream',
  );
  await expect(column(CUSTOMERS, 'email')).toContainText('identity');
  await expect(column(CUSTOMERS, 'first_name')).toHaveAttribute(
    'data-highlight',
    'dimmed',
  );
});
