// The cards' tables fit the window at 1,400 and 1,920 px: every column of
// the Output ports, Schema and explorer tables is inside its card, none cut
// off behind a scroll bar. On a portal where the demo has run.
import { type Locator, type Page, expect, test } from '@playwright/test';
import { card, open, screenshot } from './support';

/** Asserts that the column headed `header` ends inside `container`. */
async function expectColumnInside(container: Locator, header: string) {
  const cell = container.getByRole('columnheader', { name: header }).first();
  await expect(cell).toBeVisible();
  const [cellBox, containerBox] = await Promise.all([
    cell.boundingBox(),
    container.boundingBox(),
  ]);
  expect(
    cellBox!.x + cellBox!.width,
    `the ${header} column ends inside its card`,
  ).toBeLessThanOrEqual(containerBox!.x + containerBox!.width + 1);
}

for (const width of [1400, 1920]) {
  test(`at ${width} px the cards show every column`, async ({ browser }) => {
    const page: Page = await browser.newPage({
      viewport: { width, height: 1000 },
    });
    try {
      await open(page, '/catalog/default/dataproduct/marketing-customer-360');
      const ports = card(page, /^Output ports$/);
      await expect(ports.getByText('provisioned').first()).toBeVisible();
      await expectColumnInside(ports, 'Rows');
      await expectColumnInside(ports, 'Last built');
      await screenshot(page, `layout-data-product-${width}`);

      await open(
        page,
        '/catalog/default/outputport/marketing-customer-360-customer-activity',
      );
      const schema = card(page, /^Schema/);
      await expect(schema.getByText('customer_email').first()).toBeVisible();
      await expectColumnInside(schema, 'In the warehouse');
      await screenshot(page, `layout-output-port-${width}`);

      await open(page, '/data-products');
      const explorer = page
        .locator('.MuiPaper-root')
        .filter({ has: page.getByText(/^[\d,]+ data products?$/) })
        .first();
      await expect(explorer.getByText('Marketing Customer 360')).toBeVisible();
      await expectColumnInside(explorer, 'Consumers');
      await expectColumnInside(explorer, 'Quality');
      await screenshot(page, `layout-data-products-${width}`);
    } finally {
      await page.close();
    }
  });
}

test('the Catalog Graph opens on the domains and their products', async ({
  browser,
}) => {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  try {
    await open(page, '/catalog-graph');
    for (const node of ['Marketing', 'Marketing Customer 360']) {
      await expect(
        page.locator('svg').getByText(node, { exact: true }).first(),
      ).toBeVisible();
    }
    await screenshot(page, 'catalog-graph-root');
  } finally {
    await page.close();
  }
});
