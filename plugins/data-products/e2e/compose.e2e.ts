// The compose form as a newcomer uses it, on a portal where the demo has run:
// inputs chosen by product and owner, their columns beside the SQL, the
// contract filled from what PostgreSQL infers, names (not refs) on the
// Review step, and the product created with a port description of its own.
import { type Page, expect, test } from '@playwright/test';
import {
  chooseTemplate,
  createAndWait,
  expectReviewed,
  fillAboutTheProduct,
  open,
  screenshot,
} from './support';

const INPUTS = [
  { port: 'customers', product: 'Sales CRM Customers', owner: 'Sales' },
  { port: 'orders', product: 'Sales ERP Orders', owner: 'Sales' },
  { port: 'shipments', product: 'Logistics WMS Shipments', owner: 'Logistics' },
];

const MODEL = [
  'SELECT c.id AS customer_id,',
  "       (c.first_name || ' ' || c.last_name)::VARCHAR(101) AS customer_name,",
  '       o.order_id,',
  '       o.total_amount AS order_total,',
  '       s.delivery_status',
  "FROM {{ source('sales_crm_customers', 'customers') }} AS c",
  "JOIN {{ source('sales_erp_orders', 'orders') }} AS o ON o.customer_id = c.id",
  "LEFT JOIN {{ source('logistics_wms_shipments', 'shipments') }} AS s ON s.order_ref = o.order_id",
].join('\n');

/** What PostgreSQL infers for MODEL, in the contract's spelling. */
const INFERRED = [
  ['customer_id', 'INTEGER'],
  ['customer_name', 'VARCHAR(101)'],
  ['order_id', 'INTEGER'],
  ['order_total', 'NUMERIC(10,2)'],
  ['delivery_status', 'VARCHAR(20)'],
];

const PORT_DESCRIPTION =
  'One row per order with its customer and the delivery status.';

test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

test.afterAll(async () => {
  await page.close();
});

async function writeModel(sql: string) {
  await page.getByRole('textbox', { name: 'Model SQL' }).fill(sql);
}

test('the input picker shows each port with its product and owner, and the chosen inputs list their columns', async () => {
  await chooseTemplate(page, 'Create or edit a composed data product');
  await fillAboutTheProduct(page, {
    title: 'Marketing Delivery Feed',
    description: 'Orders with their customers and delivery status.',
    owner: 'Marketing',
    domain: 'Marketing',
  });
  const picker = page.getByRole('textbox', { name: 'Input output ports' });
  for (const input of INPUTS) {
    await picker.click();
    await picker.fill(input.product);
    const option = page
      .getByRole('option')
      .filter({ hasText: `${input.port} · ${input.product}` })
      .filter({ hasText: `Owner: ${input.owner}` });
    await expect(option).toBeVisible();
    await option.click();
    await expect(
      page.getByRole('button', { name: `${input.port} (${input.product})` }),
    ).toBeVisible();
  }
  await expect(page.getByText(/outputport:default\//)).toHaveCount(0);

  const shipments = page.getByRole('table', { name: 'Columns of shipments' });
  await expect(shipments.getByText('delivery_status')).toBeVisible();
  await expect(shipments.getByText('VARCHAR(20)')).toBeVisible();
  await expect(
    page
      .getByRole('table', { name: 'Columns of orders' })
      .getByText('total_amount'),
  ).toBeVisible();

  await page
    .getByRole('textbox', { name: 'Schema', exact: true })
    .fill('marketing_delivery_feed');
  await page
    .getByRole('textbox', { name: 'Output port name', exact: true })
    .fill('deliveries');
  await page
    .getByRole('textbox', { name: 'Output port description', exact: true })
    .fill(PORT_DESCRIPTION);
  await writeModel(MODEL);
  await screenshot(page, 'compose-inputs-and-columns');
});

test("'Fill the contract from the SQL' shows PostgreSQL's error with its line and column", async () => {
  await writeModel(
    MODEL.replace('o.order_id,', 'o.order_id, pg_sleep(1) AS nap,'),
  );
  await page.getByRole('button', { name: 'Next' }).click();
  await page
    .getByRole('button', { name: 'Fill the contract from the SQL' })
    .click();
  const failure = page.getByRole('alert', { name: 'The model check failed' });
  await expect(failure).toContainText('pg_sleep');
  await expect(failure).toContainText(/Line 3, column \d+ of the model SQL/);
  await expect(page.getByText(/^Filled \d+ columns?/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Back' }).click();
  await writeModel(MODEL);
});

test("'Fill the contract from the SQL' fills the declared columns from what PostgreSQL infers", async () => {
  await page.getByRole('button', { name: 'Next' }).click();
  await page
    .getByRole('button', { name: 'Fill the contract from the SQL' })
    .click();
  await expect(
    page.getByText(
      `Filled ${INFERRED.length} columns from what PostgreSQL infers.`,
    ),
  ).toBeVisible();
  for (const [index, [name, type]] of INFERRED.entries()) {
    await expect(
      page.getByRole('textbox', { name: `Name of column ${index + 1}` }),
    ).toHaveValue(name);
    await expect(
      page.getByRole('textbox', { name: `Type of column ${index + 1}` }),
    ).toHaveValue(type);
  }
  await page
    .getByRole('textbox', { name: 'Description of column 2' })
    .fill("The customer's full name.");
  // the Changes field plans the filled contract
  await expect(
    page.getByText(/^Data product marketing-delivery-feed is new/),
  ).toBeVisible();
  await screenshot(page, 'compose-contract-filled');
});

test('the Review step reads names, and the product is created with the port description', async () => {
  await page.getByRole('button', { name: 'Review' }).click();
  await expectReviewed(page, 'Owner', 'Marketing');
  await expectReviewed(page, 'Domain', 'Marketing');
  await expectReviewed(
    page,
    'Input output ports',
    INPUTS.map(i => `${i.port} (${i.product})`).join(', '),
  );
  await expect(page.getByText('group:default/marketing')).toHaveCount(0);
  await screenshot(page, 'compose-review');
  const result = await createAndWait(page);
  expect(result).toMatch(/marketing_delivery_feed\.deliveries \(\d+ rows\)/);

  await open(
    page,
    '/catalog/default/outputport/marketing-delivery-feed-deliveries',
  );
  await expect(page.getByText(PORT_DESCRIPTION).first()).toBeVisible();
});
