// ODCS data contracts, in Chromium, on a portal where the demo has run: a
// Sales user downloads the contract of the Sales CRM customers port from its
// Schema card, then creates a copy of the product from that contract with
// "Create a data product from a data contract"; the copy is provisioned for
// real, and its own contract is the one pasted (but for who reads it).
import { type Page, expect, test } from '@playwright/test';
import fs from 'node:fs';
import YAML from 'yaml';
import {
  card,
  chooseTemplate,
  createAndWait,
  expectProvisionedPort,
  open,
} from './support';

const PORT_PAGE = '/catalog/default/outputport/sales-crm-customers-customers';

test.describe.configure({ mode: 'serial' });

let page: Page;
let downloaded: string;

test.beforeAll(async ({ browser }) => {
  page = await (await browser.newContext({ acceptDownloads: true })).newPage();
});

test.afterAll(async () => {
  await page.context().close();
});

async function downloadContract(route: string): Promise<string> {
  await open(page, route, 'ana.sales');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card(page, /^Schema$/)
      .getByRole('button', { name: 'Download contract (ODCS)' })
      .click(),
  ]);
  return fs.readFileSync((await download.path())!, 'utf8');
}

test('the Schema card downloads the port contract as ODCS v3.1.0 YAML', async () => {
  downloaded = await downloadContract(PORT_PAGE);
  const contract = YAML.parse(downloaded);
  expect(contract).toMatchObject({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'outputport:default/sales-crm-customers-customers',
    status: 'active',
    dataProduct: 'sales-crm-customers',
    team: { name: 'sales' },
  });
  expect(contract.servers[0]).toMatchObject({
    type: 'postgres',
    schema: 'sales_crm',
  });
  expect(downloaded).not.toMatch(/password/i);
});

test('a product created from that contract is provisioned, and exports the same contract', async () => {
  // A copy: another product name, port entity and schema.
  const copy = downloaded
    .replace(
      'id: outputport:default/sales-crm-customers-customers',
      'id: outputport:default/sales-crm-clients-customers',
    )
    .replace(
      'dataProduct: sales-crm-customers',
      'dataProduct: sales-crm-clients',
    )
    .replace(/^(\s+)schema: sales_crm$/m, '$1schema: sales_crm_clients')
    .replace('value: Sales CRM Customers', 'value: Sales CRM Clients');
  await chooseTemplate(page, 'Create a data product from a data contract');
  await page
    .getByRole('textbox', { name: 'Contract (YAML)', exact: true })
    .fill(copy);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await createAndWait(page);
  await page.getByRole('link', { name: 'Open the data product' }).click();
  await expectProvisionedPort(page, 'customers', 'sales_crm_clients.customers');

  const exported = YAML.parse(
    await downloadContract(
      '/catalog/default/outputport/sales-crm-clients-customers',
    ),
  );
  const pasted = YAML.parse(copy);
  // Who reads a port is the warehouse's: nobody reads the new copy yet.
  delete pasted.roles;
  delete exported.roles;
  expect(exported).toEqual(pasted);
});
