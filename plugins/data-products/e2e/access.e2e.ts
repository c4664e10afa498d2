// Access governance in two browsers, each signed in as another demo user: a
// Marketing user asks to read a Sales port for the Marketing group, a Sales
// user approves it on the port's Access card, and the requester sees it
// granted. The portal runs the real GRANT in between.
import { type Page, expect, test } from '@playwright/test';
import { card, open, rowWith, screenshot } from './support';

const PORT_PAGE = '/catalog/default/outputport/sales-crm-customers-customers';
const PURPOSE = 'Segment newsletter subscribers by signup date';

test.describe.configure({ mode: 'serial' });

let marketing: Page;
let sales: Page;

test.beforeAll(async ({ browser }) => {
  // Two contexts: two browsers with their own storage, so two sign-ins.
  marketing = await (await browser.newContext()).newPage();
  sales = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await marketing.context().close();
  await sales.context().close();
});

test('a Marketing user requests read access to a Sales port for the Marketing group', async () => {
  await open(marketing, PORT_PAGE, 'mark.marketing');
  const access = card(marketing, /^Access$/);
  await expect(
    access.getByText(
      'Restricted: an owner of the product approves each request.',
    ),
  ).toBeVisible();
  await access.getByRole('button', { name: 'Request access' }).click();

  const dialog = marketing.getByRole('dialog');
  await dialog.getByRole('button', { name: /^Access for/ }).click();
  await marketing
    .getByRole('listbox')
    .getByRole('option', { name: 'Marketing', exact: true })
    .click();
  await dialog.getByRole('textbox', { name: 'Purpose' }).fill(PURPOSE);
  await screenshot(marketing, 'request-access-dialog', { fullPage: false });
  await dialog.getByRole('button', { name: 'Request', exact: true }).click();
  await expect(dialog).toBeHidden();

  const pending = rowWith(access, PURPOSE);
  await expect(pending.getByText('Marketing', { exact: true })).toBeVisible();
  // The requester is no owner: no decision buttons for them.
  await expect(pending.getByRole('button', { name: 'Approve' })).toHaveCount(0);
});

test('a Sales user sees it pending in the Access card and approves it', async () => {
  await open(sales, PORT_PAGE, 'ana.sales');
  const access = card(sales, /^Access$/);
  const pending = rowWith(
    access.locator('h3', { hasText: /^Waiting for approval/ }).locator('..'),
    PURPOSE,
  );
  await expect(pending.getByText('Mark Marketing')).toBeVisible();
  await screenshot(sales, 'access-card');
  await pending.getByRole('button', { name: 'Approve' }).click();

  const dialog = sales.getByRole('dialog');
  await dialog
    .getByRole('textbox', { name: 'Note (optional)' })
    .fill('Fine for the newsletter');
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(dialog).toBeHidden();

  const readers = access
    .locator('h3', { hasText: /^Who can read/ })
    .locator('..');
  const granted = rowWith(readers, PURPOSE);
  await expect(granted.getByText('Marketing', { exact: true })).toBeVisible();
  await expect(granted.getByText('through a request')).toBeVisible();
  await expect(granted.getByRole('button', { name: 'Revoke' })).toBeVisible();
  await expect(rowWith(access, PURPOSE)).toHaveCount(1);
});

test('the requester sees it granted on My access', async () => {
  await open(marketing, '/my-access', 'mark.marketing');
  const request = marketing.locator('tr').filter({ hasText: PURPOSE });
  await expect(request.getByText('granted', { exact: true })).toBeVisible();
  await expect(request.getByText('Fine for the newsletter')).toBeVisible();
  const readable = marketing.locator('.MuiPaper-root').filter({
    has: marketing.getByRole('heading', { name: /^What I can read/ }),
  });
  await expect
    .poll(() =>
      readable
        .locator('tr')
        .filter({ hasText: 'customers' })
        .filter({ hasText: 'Marketing' })
        .count(),
    )
    .toBeGreaterThan(0);
  await screenshot(marketing, 'my-access-page');
});

test('the Sales product’s History shows the request, the approval and the grant', async () => {
  await open(
    sales,
    '/catalog/default/dataproduct/sales-crm-customers/history',
    'ana.sales',
  );
  const history = sales.locator('.MuiPaper-root').filter({
    has: sales.getByRole('heading', { name: 'History' }),
  });
  for (const what of [
    'access requested',
    'request approved',
    'access granted',
  ]) {
    const event = rowWith(history, what).filter({ hasText: 'Marketing' });
    await expect(event.first()).toBeVisible();
  }
  await screenshot(sales, 'history-tab');
});
