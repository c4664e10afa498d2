// The mesh view on a portal where the demo has run: the domains with their
// products' counts, a domain opened into its products, a product's
// neighbourhood, and search.
import { type Page, expect, test } from '@playwright/test';
import { open, screenshot } from './support';

const SALES = 'domain:default/sales';
const MARKETING = 'domain:default/marketing';
const LOGISTICS = 'domain:default/logistics';
const SOURCES = 'mesh:sources';
const CRM = 'dataproduct:default/sales-crm-customers';
const ORDERS = 'dataproduct:default/sales-erp-orders';

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page.close();
});

const meshNode = (id: string) =>
  page.locator(`[data-testid="mesh-node"][data-id="${id}"]`);

test('the mesh tab shows the domains with their products and the flows between them', async () => {
  await open(page, '/data-products');
  await page.getByRole('tab', { name: 'Mesh lineage' }).click();
  await expect(page.getByTestId('mesh-view-ready')).toBeVisible();
  // Other browser tests may add products: at least the demo's.
  await expect(meshNode(SALES)).toContainText(/\d+ products/);
  await expect(meshNode(MARKETING)).toContainText(/\d+ products?/);
  await expect(meshNode(LOGISTICS)).toContainText(/\d+ products?/);
  await expect(meshNode(SOURCES)).toContainText(/\d+ source tables/);
  await expect(page.getByTestId('mesh-legend')).toBeVisible();
  // The flows are drawn as edges between the domains.
  await expect(page.locator('.react-flow__edge').first()).toBeVisible();
  await page.waitForTimeout(300);
  await screenshot(page, 'mesh-domains');
});

test('clicking a domain opens it into its products, each linked to its page', async () => {
  await meshNode(SALES).click();
  await expect(meshNode(CRM)).toContainText('Sales CRM Customers');
  await expect(meshNode(ORDERS)).toContainText('Sales ERP Orders');
  await expect(page.getByTestId('mesh-expanded')).toContainText('sales');
  await expect(meshNode(CRM).getByTestId('mesh-node-page')).toHaveAttribute(
    'href',
    /\/catalog\/default\/dataproduct\/sales-crm-customers$/,
  );
});

test('clicking a product focuses on what it reads and what reads it', async () => {
  await meshNode(CRM).click();
  await expect(page.getByTestId('mesh-focus')).toContainText(
    'Sales CRM Customers',
  );
  // Upstream: its source table; downstream: Marketing Customer 360's domain.
  await expect(meshNode(SOURCES)).toContainText('1 source table');
  await expect(meshNode(MARKETING)).toBeVisible();
  // Logistics only feeds Marketing: not in Sales CRM Customers' neighbourhood.
  await expect(meshNode(LOGISTICS)).toHaveCount(0);
  await page.waitForTimeout(300);
  await screenshot(page, 'mesh-focus');

  // One hop: only what it reads and what reads it directly.
  await page.getByTestId('mesh-depth').click();
  await page.getByRole('option', { name: '1 hop' }).click();
  await expect(meshNode(CRM)).toBeVisible();
  await expect(meshNode(MARKETING)).toBeVisible();
});

test('search finds a product and focuses on it; reset goes back to the domains', async () => {
  await page.getByTestId('mesh-search').fill('WMS Shipments');
  await page
    .getByTestId('mesh-search-option')
    .filter({ hasText: 'Logistics WMS Shipments' })
    .click();
  await expect(page.getByTestId('mesh-focus')).toContainText(
    'Logistics WMS Shipments',
  );
  await expect(
    meshNode('dataproduct:default/logistics-wms-shipments'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('mesh-focus')).toHaveCount(0);
  await expect(meshNode(SALES)).toBeVisible();
  await expect(meshNode(LOGISTICS)).toBeVisible();
});
