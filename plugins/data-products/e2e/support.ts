// What the browser checks share: signing in, finding cards, filling the
// templates' forms, and the documentation's screenshots.
import { type Locator, type Page, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/** A scaffolder task provisions a product: allow it minutes. */
const TASK_TIMEOUT_MS = 180_000;

/**
 * The documentation's screenshot of the page (of what the window shows, for
 * a dialog), when E2E_SCREENSHOTS names a folder; tests change no tracked
 * file otherwise.
 */
export async function screenshot(
  page: Page,
  name: string,
  { fullPage = true } = {},
) {
  const folder = process.env.E2E_SCREENSHOTS;
  if (!folder) return;
  fs.mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage });
}

/**
 * Opens a portal page, signing in on the development sign-in page when it
 * shows: as guest, or as the demo user named (e.g. `mark.marketing`).
 */
export async function open(page: Page, route: string, as = 'guest') {
  await page.goto(route, { waitUntil: 'domcontentloaded' });
  const signIn = page.getByRole('button', {
    name: as === 'guest' ? 'Enter' : `Sign in as ${as}`,
    exact: true,
  });
  // The sidebar's link: a page may show another "Data products" link (the
  // explorer's header), so look in the sidebar only.
  const sidebar = page
    .getByTestId('sidebar-root')
    .getByRole('link', { name: 'Data products' });
  await expect(signIn.or(sidebar).first()).toBeVisible();
  if (await signIn.isVisible()) {
    await signIn.click();
    await expect(sidebar).toBeVisible();
  }
}

/** The card whose header title matches `title`. */
export function card(page: Page, title: string | RegExp): Locator {
  return page
    .locator('.MuiCard-root')
    .filter({ has: page.locator('.MuiCardHeader-title', { hasText: title }) })
    .first();
}

/** The row of `scope` holding `text`. */
export function rowWith(scope: Locator, text: string | RegExp): Locator {
  return scope.locator('tr').filter({ hasText: text });
}

/**
 * Asserts that the Output ports card of the open product page shows `port`
 * as provisioned at `object` with a row count above zero; returns the count.
 */
export async function expectProvisionedPort(
  page: Page,
  port: string,
  object: string,
): Promise<string> {
  const row = card(page, /^Output ports$/)
    .locator('tr')
    .filter({ has: page.getByRole('link', { name: port, exact: true }) });
  await expect(row.getByText('provisioned', { exact: true })).toBeVisible();
  await expect(row.getByText(object, { exact: true })).toBeVisible();
  const rowCount = async () =>
    (await row.locator('td').allInnerTexts())
      .map(c => c.trim())
      .find(c => /^\d{1,3}(,\d{3})*$/.test(c));
  await expect
    .poll(async () => Number((await rowCount())?.replace(/,/g, '') ?? 0), {
      message: `a row count above zero in the row of ${port}`,
    })
    .toBeGreaterThan(0);
  return (await rowCount())!;
}

/** Opens Create and chooses the template titled `title`. */
export async function chooseTemplate(page: Page, title: string) {
  await open(page, '/create');
  await page
    .locator('.MuiCard-root')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) })
    .getByRole('button', { name: 'Choose' })
    .click();
  await expect(
    page.getByRole('heading', { name: title, exact: true }),
  ).toBeVisible();
}

/** Picks `option` in the autocomplete labelled `label`, typing `search` first. */
export async function pick(
  page: Page,
  label: string,
  option: string,
  search = option,
) {
  const input = page.getByRole('textbox', { name: label, exact: true });
  await input.click();
  await input.fill(search);
  await page
    .getByRole('listbox', { name: label })
    .getByRole('option', { name: option, exact: true })
    .click();
}

/** Fills the first page both templates share: About the product. */
export async function fillAboutTheProduct(
  page: Page,
  about: { title: string; description: string; owner: string; domain: string },
) {
  await page
    .getByRole('textbox', { name: 'Title', exact: true })
    .fill(about.title);
  await page
    .getByRole('textbox', { name: 'Description', exact: true })
    .fill(about.description);
  await pick(page, 'Owner', about.owner);
  await pick(page, 'Domain', about.domain);
  await page.getByRole('button', { name: 'Next' }).click();
}

/** Asserts the Review page shows `value` for the field titled `field`. */
export async function expectReviewed(page: Page, field: string, value: string) {
  await expect(
    page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: field, exact: true }) })
      .getByRole('cell', { name: value, exact: true }),
  ).toBeVisible();
}

/**
 * Clicks Create on the Review page and waits for the task to finish; fails
 * with the task's error when a step fails. Returns the Provisioned text.
 */
export async function createAndWait(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL(/\/create\/tasks\//);
  const link = page.getByRole('link', { name: 'Open the data product' });
  const failure = page.getByRole('alert');
  await expect(link.or(failure).first()).toBeVisible({
    timeout: TASK_TIMEOUT_MS,
  });
  if (await failure.first().isVisible()) {
    throw new Error(
      `the task failed (${page.url()}): ${await failure.first().innerText()}`,
    );
  }
  const provisioned = card(page, /^Provisioned$/);
  await expect(provisioned.getByText(/holds the output port/)).toBeVisible();
  return (await provisioned.innerText()).replace(/\s+/g, ' ');
}
