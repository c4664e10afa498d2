// The port page for consumers in two browsers, each signed in as another
// demo user: a Sales user, an owner, sees the first rows of the CRM's
// customers with the email column masked and how to connect; a Logistics
// user, who neither owns the port nor reads it through a group, is told why
// there is no preview and offered Request access.
import { type Page, expect, test } from '@playwright/test';
import { card, open, screenshot } from './support';

const PORT_PAGE = '/catalog/default/outputport/sales-crm-customers-customers';

test.describe.configure({ mode: 'serial' });

let sales: Page;
let logistics: Page;

test.beforeAll(async ({ browser }) => {
  sales = await (await browser.newContext()).newPage();
  logistics = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await sales.context().close();
  await logistics.context().close();
});

test("an owner previews the port's first rows, with the pii column masked", async () => {
  await open(sales, PORT_PAGE, 'ana.sales');
  const preview = card(sales, /^Preview$/);
  const table = preview.getByRole('table', { name: 'Sample rows' });
  await expect(table).toBeVisible();
  const header = table.locator('thead th');
  await expect(header.filter({ hasText: 'first_name' })).toHaveCount(1);
  await expect(
    header.filter({ hasText: 'email' }).getByText('PII: masked'),
  ).toBeVisible();
  // 20 rows, every email cell masked.
  await expect(table.locator('tbody tr')).toHaveCount(20);
  const emailColumn = await header.evaluateAll(cells =>
    cells.findIndex(cell => cell.textContent?.startsWith('email')),
  );
  const emails = await table
    .locator(`tbody tr td:nth-child(${emailColumn + 1})`)
    .allInnerTexts();
  expect(emails.every(text => text.trim() === '•••')).toBe(true);
  await expect(preview.getByText('@')).toHaveCount(0);
  // Row count and size.
  await expect(preview.getByText(/\d[\d,]* rows · .* on disk/)).toBeVisible();
  await preview.scrollIntoViewIfNeeded();
  await screenshot(sales, 'port-preview');
});

test('the Connect card gives psql, JDBC and SQL for the warehouse', async () => {
  const connect = card(sales, /^Connect$/);
  await expect(connect.getByRole('heading', { name: 'psql' })).toBeVisible();
  await expect(connect.getByText(/psql "host=/)).toBeVisible();
  await expect(connect.getByText(/jdbc:postgresql:\/\//)).toBeVisible();
  await expect(connect.getByText(/FROM sales_crm\.customers/)).toBeVisible();
  await expect(connect).not.toContainText('password');
  await connect.scrollIntoViewIfNeeded();
  await screenshot(sales, 'port-connect');
});

test('another user is refused the preview, told why and offered Request access', async () => {
  await open(logistics, PORT_PAGE, 'lou.logistics');
  const preview = card(logistics, /^Preview$/);
  await expect(
    preview.getByText(/You cannot preview this port/).first(),
  ).toBeVisible();
  await expect(
    preview.getByText(/permission dataproduct\.preview was denied/),
  ).toBeVisible();
  await expect(
    preview.getByRole('button', { name: 'Request access' }),
  ).toBeVisible();
  await expect(preview.getByRole('table', { name: 'Sample rows' })).toHaveCount(
    0,
  );
  // The row count is no secret; the rows are.
  await expect(preview.getByText(/\d[\d,]* rows/)).toBeVisible();
  const connect = card(logistics, /^Connect$/);
  await expect(
    connect.getByText(/None of your groups can read this port yet/),
  ).toBeVisible();
  await preview.scrollIntoViewIfNeeded();
  await screenshot(logistics, 'port-preview-denied');
});
