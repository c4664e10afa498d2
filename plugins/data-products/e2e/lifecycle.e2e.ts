// The lifecycle of data products in the browser: deprecating a product shows
// its consumers a banner, Delete refuses while consumers remain and lists
// them, and deletes a product that nothing reads (it leaves the catalog).
// Independent of the other specs: the deprecated demo product is back in
// production at the end, and the product deleted is created here.
import { type APIRequestContext, expect, test } from '@playwright/test';
import { card, open, pick, screenshot } from './support';

const SHIPMENTS = '/catalog/default/dataproduct/logistics-wms-shipments';
const CUSTOMER_360 = '/catalog/default/dataproduct/marketing-customer-360';
const CRM = '/catalog/default/dataproduct/sales-crm-customers';
const SCRATCH = 'lifecycle-scratch';

test.describe.configure({ mode: 'serial' });

/** A date `days` from today, YYYY-MM-DD. */
const inDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A guest token, as the demo signs in. */
async function guestToken(request: APIRequestContext): Promise<string> {
  const res = await request.post('/api/auth/guest/refresh', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.ok()).toBe(true);
  return (await res.json()).backstageIdentity.token;
}

test('deprecating a product shows its consumers a banner with the sunset date and the replacement', async ({
  page,
}) => {
  const sunset = inDays(90);
  await open(page, SHIPMENTS);
  const lifecycle = card(page, /^Lifecycle$/);
  await expect(lifecycle.getByText('production', { exact: true })).toBeVisible();
  await lifecycle.getByRole('button', { name: 'Deprecate' }).click();

  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Sunset date').fill(sunset);
  await pick(page, 'Replacement', 'Sales ERP Orders', 'Sales ERP');
  await dialog
    .getByRole('textbox', { name: 'Reason' })
    .fill('Shipments move into the ERP.');
  await screenshot(page, 'deprecate-dialog', { fullPage: false });
  await dialog.getByRole('button', { name: 'Deprecate' }).click();
  await expect(dialog).toBeHidden();

  // The catalog shows the change within seconds.
  await open(page, CUSTOMER_360);
  const banner = page.getByRole('alert').filter({
    hasText: 'Input Logistics WMS Shipments is deprecated',
  });
  await expect(async () => {
    await page.reload();
    await expect(banner).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await expect(banner).toContainText(
    `Input Logistics WMS Shipments is deprecated: sunset on ${sunset}. Move to Sales ERP Orders before then. Shipments move into the ERP.`,
  );
  await expect(
    banner.getByRole('link', { name: 'Sales ERP Orders' }),
  ).toBeVisible();
  await screenshot(page, 'deprecation-banner');
});

test('Delete refuses while consumers remain and lists them; the deprecation is withdrawn', async ({
  page,
}) => {
  await open(page, CRM);
  await card(page, /^Lifecycle$/)
    .getByRole('button', { name: 'Delete' })
    .click();
  const dialog = page.getByRole('dialog');
  await expect(
    dialog.getByText(/Sales CRM Customers cannot be deleted while it has consumers/),
  ).toBeVisible();
  const consumers = dialog.getByRole('list', { name: 'Consumers' });
  await expect(
    consumers.getByRole('link', { name: 'Marketing Customer 360' }),
  ).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Delete' })).toBeDisabled();
  await screenshot(page, 'delete-dialog-refused', { fullPage: false });
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Back to production, for the specs after this one.
  await open(page, SHIPMENTS);
  const withdraw = card(page, /^Lifecycle$/).getByRole('button', {
    name: 'Withdraw deprecation',
  });
  await expect(async () => {
    await page.reload();
    await expect(withdraw).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await withdraw.click();
  await expect(async () => {
    await page.reload();
    await expect(
      card(page, /^Lifecycle$/).getByText('production', { exact: true }),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
});

test('Delete decommissions a product that nothing reads, and the catalog drops it', async ({
  page,
  request,
}) => {
  const token = await guestToken(request);
  const auth = { Authorization: `Bearer ${token}` };
  const registered = await request.put(
    `/api/data-products/registry/products/${SCRATCH}`,
    {
      headers: auth,
      data: {
        product: {
          apiVersion: 'dataproducts.io/v1alpha1',
          kind: 'DataProduct',
          metadata: { name: SCRATCH, title: 'Lifecycle Scratch' },
          spec: {
            type: 'source-aligned',
            lifecycle: 'experimental',
            owner: 'group:default/data-platform',
            domain: 'sales',
            schema: 'lifecycle_scratch',
            inputs: ['resource:crm-customers'],
          },
        },
        ports: [
          {
            apiVersion: 'dataproducts.io/v1alpha1',
            kind: 'OutputPort',
            metadata: { name: `${SCRATCH}-customers`, title: 'customers' },
            spec: {
              dataProduct: SCRATCH,
              name: 'customers',
              type: 'postgres-view',
              access: 'restricted',
              source: 'sources.crm_customers',
              columns: [{ name: 'id', type: 'INTEGER' }],
            },
          },
        ],
      },
    },
  );
  expect(registered.status(), await registered.text()).toBe(201);

  const entity = () =>
    request.get(`/api/catalog/entities/by-name/dataproduct/default/${SCRATCH}`, {
      headers: auth,
    });
  await expect
    .poll(async () => (await entity()).status(), { timeout: 90_000 })
    .toBe(200);

  await open(page, `/catalog/default/dataproduct/${SCRATCH}`);
  await card(page, /^Lifecycle$/)
    .getByRole('button', { name: 'Delete' })
    .click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText(/Nothing reads Lifecycle Scratch/)).toBeVisible();
  await screenshot(page, 'delete-dialog', { fullPage: false });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/data-products$/);

  await expect
    .poll(async () => (await entity()).status(), { timeout: 90_000 })
    .toBe(404);
  const port = await request.get(
    `/api/catalog/entities/by-name/outputport/default/${SCRATCH}-customers`,
    { headers: auth },
  );
  expect(port.status()).toBe(404);
});
