// The data product pages in Chromium, on a portal where the demo has run;
// then both scaffolder templates, clicked through to a provisioned product.
// Run again against the same portal, the templates update those products.
import { type Page, expect, test } from '@playwright/test';
import {
  card,
  chooseTemplate,
  createAndWait,
  expectProvisionedPort,
  expectReviewed,
  fillAboutTheProduct,
  open,
  pick,
  screenshot,
} from './support';

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

// Each check starts where the one before it left the page.
test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page.close();
});

const lineageNode = (text: string) =>
  page.locator('[data-testid="lineage-node"]', { hasText: text });

test('Marketing Customer 360 shows its 3 inputs', async () => {
  await open(page, '/catalog/default/dataproduct/marketing-customer-360');
  const inputs = card(page, /^Inputs \(3\)$/);
  for (const port of ['customers', 'orders', 'shipments']) {
    await expect(
      inputs.getByRole('link', { name: port, exact: true }),
    ).toBeVisible();
  }
  for (const product of [
    'Sales CRM Customers',
    'Sales ERP Orders',
    'Logistics WMS Shipments',
  ]) {
    await expect(inputs.getByText(product, { exact: true })).toBeVisible();
  }
});

test('its customer_activity port is provisioned with a row count', async () => {
  const rowCount = await expectProvisionedPort(
    page,
    'customer_activity',
    'marketing_360.customer_activity',
  );
  test.info().annotations.push({
    type: 'customer_activity rows',
    description: rowCount,
  });
});

test('its lineage graph reaches the three source tables', async () => {
  const lineage = card(page, /^Lineage$/);
  for (const table of SOURCE_TABLES) {
    await expect(
      lineage.locator('[data-testid="lineage-node"]', { hasText: table }),
    ).toBeVisible();
  }
  await expect
    .poll(() => lineage.locator('[data-testid="lineage-node"]').count())
    .toBeGreaterThanOrEqual(11);
  await page.waitForTimeout(500);
  await screenshot(page, 'data-product-page');
});

test('the port page shows the 8 declared columns beside the warehouse', async () => {
  await card(page, /^Output ports$/)
    .getByRole('link', { name: 'customer_activity', exact: true })
    .click();
  await page.waitForURL(
    /\/outputport\/marketing-customer-360-customer-activity/,
  );
  const schema = card(page, /^Schema$/);
  for (const column of DECLARED_COLUMNS) {
    await expect(
      schema.locator('td', { hasText: new RegExp(`^${column}$`) }).first(),
    ).toBeVisible();
  }
  await expect(schema.locator('tbody tr')).toHaveCount(8);
  await expect(
    schema.getByText("The customer's full name (first and last)."),
  ).toBeVisible();
  await expect(schema.getByText('numeric(10,2)')).toBeVisible();
  await expect(schema.getByText(/differs from the contract/)).toHaveCount(0);
  await screenshot(page, 'output-port-page');
});

test('the Lineage tab draws the full graph', async () => {
  await open(
    page,
    '/catalog/default/dataproduct/marketing-customer-360/lineage',
  );
  for (const table of SOURCE_TABLES) {
    await expect(lineageNode(table)).toBeVisible();
  }
  await page.waitForTimeout(500);
  await screenshot(page, 'lineage-tab');
});

test('the Model tab links every source() to its port', async () => {
  await open(page, '/catalog/default/dataproduct/marketing-customer-360/model');
  for (const [product, port] of [
    ['sales_crm_customers', 'customers'],
    ['sales_erp_orders', 'orders'],
    ['logistics_wms_shipments', 'shipments'],
  ]) {
    await expect(
      page.getByRole('link', { name: `{{ source('${product}', '${port}') }}` }),
    ).toBeVisible();
  }
  await screenshot(page, 'model-tab');
});

test('the data products page lists every product and filters by domain', async () => {
  await open(page, '/data-products');
  await expect(page.getByText(/^[\d,]+ data products?$/)).toBeVisible();
  for (const title of [
    'Sales CRM Customers',
    'Sales ERP Orders',
    'Logistics WMS Shipments',
    'Marketing Customer 360',
  ]) {
    await expect(
      page.getByRole('link', { name: title, exact: true }),
    ).toBeVisible();
  }
  await screenshot(page, 'data-products-page');
  await page
    .locator('#data-products-filter-domain')
    .selectOption('domain:default/sales');
  // the two Sales products of the demo, and those other browser tests made
  await expect(page.getByText(/^[\d,]+ data products?$/)).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Sales CRM Customers', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Marketing Customer 360', exact: true }),
  ).toHaveCount(0);
  await expect(
    page.getByRole('link', { name: 'Sales ERP Orders', exact: true }),
  ).toBeVisible();
  await page
    .locator('#data-products-filter-domain')
    .selectOption('domain:default/marketing');
  // Marketing Order Stats (below) joins it once the template ran.
  await expect(page.getByText(/^[12] data products?$/)).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Sales ERP Orders', exact: true }),
  ).toHaveCount(0);
  await expect(
    page.getByRole('link', { name: 'Marketing Customer 360', exact: true }),
  ).toBeVisible();
});

test('the mesh lineage shows every domain and the source tables', async () => {
  await page.getByRole('tab', { name: 'Mesh lineage' }).click();
  const meshNode = (id: string) =>
    page.locator(`[data-testid="mesh-node"][data-id="${id}"]`);
  for (const domain of ['sales', 'marketing', 'logistics']) {
    await expect(meshNode(`domain:default/${domain}`)).toBeVisible();
  }
  await expect(meshNode('mesh:sources')).toContainText('3 source tables');
  await page.waitForTimeout(500);
  await screenshot(page, 'mesh-lineage');
});

test('the expose-source-table template provisions a product from the form', async () => {
  await chooseTemplate(
    page,
    'Create or edit a data product from a source table',
  );
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
    await expect(
      columns.getByRole('textbox', { name: `Description of ${column}` }),
    ).toBeVisible();
  }
  const schema = page.getByRole('textbox', { name: 'Schema', exact: true });
  await expect(schema).toHaveValue('logistics_wms');
  await schema.fill('logistics_feed');
  await page
    .getByRole('textbox', { name: 'Output port name', exact: true })
    .fill('shipments_feed');
  await page.getByRole('button', { name: /^Materialization/ }).click();
  await page.getByRole('option', { name: 'View (live, real-time)' }).click();
  await expect(schema).toHaveValue('logistics_feed');
  await screenshot(page, 'template-expose-source-table-form');

  await page.getByRole('button', { name: 'Review' }).click();
  await expectReviewed(page, 'Title', 'Logistics Shipment Feed');
  await expectReviewed(page, 'Source table', 'sources.wms_shipments');
  await expectReviewed(page, 'Schema', 'logistics_feed');
  await expectReviewed(page, 'Output port name', 'shipments_feed');
  await expectReviewed(page, 'Materialization', 'View (live, real-time)');
  const result = await createAndWait(page);
  expect(result).toMatch(/logistics_feed\.shipments_feed \(\d+ rows\)/);
  await screenshot(page, 'template-expose-source-table-result');

  await page.getByRole('link', { name: 'Open the data product' }).click();
  await page.waitForURL(/\/dataproduct\/logistics-shipment-feed$/);
  await expect(
    page.getByRole('heading', { name: 'Logistics Shipment Feed' }),
  ).toBeVisible();
  await expectProvisionedPort(
    page,
    'shipments_feed',
    'logistics_feed.shipments_feed',
  );
});

test('the compose template provisions a product from the form', async () => {
  await chooseTemplate(page, 'Create or edit a composed data product');
  await fillAboutTheProduct(page, {
    title: 'Marketing Order Stats',
    description: 'Orders and revenue per day, for campaign planning.',
    owner: 'Marketing',
    domain: 'Marketing',
  });
  // The input picker finds a port by its product and shows product and owner.
  const inputs = page.getByRole('textbox', { name: 'Input output ports' });
  await inputs.click();
  await inputs.fill('Sales ERP Orders');
  await page
    .getByRole('option')
    .filter({ hasText: 'orders · Sales ERP Orders' })
    .filter({ hasText: 'Owner: Sales' })
    .click();
  await page
    .getByRole('textbox', { name: 'Schema', exact: true })
    .fill('marketing_order_stats');
  await page
    .getByRole('textbox', { name: 'Output port name', exact: true })
    .fill('daily_orders');
  // The editor offers the input's source() reference.
  const reference = "{{ source('sales_erp_orders', 'orders') }}";
  await expect(page.getByRole('button', { name: reference })).toBeVisible();
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
  await expect(
    page.getByRole('heading', { name: 'Declared columns', exact: true }),
  ).toBeVisible();
  for (const [index, [name, type, description]] of declared.entries()) {
    if (
      (await page
        .getByRole('textbox', { name: `Name of column ${index + 1}` })
        .count()) === 0
    ) {
      await page.getByRole('button', { name: 'Add a column' }).click();
    }
    await page
      .getByRole('textbox', { name: `Name of column ${index + 1}` })
      .fill(name);
    await page
      .getByRole('textbox', { name: `Type of column ${index + 1}` })
      .fill(type);
    await page
      .getByRole('textbox', { name: `Description of column ${index + 1}` })
      .fill(description);
  }
  await page.getByRole('button', { name: 'Review' }).click();
  await expectReviewed(page, 'Title', 'Marketing Order Stats');
  await expectReviewed(page, 'Schema', 'marketing_order_stats');
  await expectReviewed(page, 'Output port name', 'daily_orders');
  const result = await createAndWait(page);
  expect(result).toMatch(/marketing_order_stats\.daily_orders \(\d+ rows\)/);
  await screenshot(page, 'template-compose-data-product-result');

  await page.getByRole('link', { name: 'Open the data product' }).click();
  await page.waitForURL(/\/dataproduct\/marketing-order-stats$/);
  await expect(
    page.getByRole('heading', { name: 'Marketing Order Stats' }),
  ).toBeVisible();
  await expectProvisionedPort(
    page,
    'daily_orders',
    'marketing_order_stats.daily_orders',
  );
  await expect(
    card(page, /^Inputs \(1\)$/).getByRole('link', {
      name: 'orders',
      exact: true,
    }),
  ).toBeVisible();
});
