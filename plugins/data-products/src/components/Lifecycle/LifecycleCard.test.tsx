import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { entityPresentationApiRef } from '@backstage/plugin-catalog-react';
import {
  catalogApiMock,
  createTestEntityPage,
} from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import dataProductsPlugin from '../../alpha';
import {
  type DataProductsLifecycleApi,
  dataProductsLifecycleApiRef,
} from '../../api/DataProductsLifecycleApi';
import {
  allEntities,
  crmCustomers,
  crmCustomersPort,
  marketing360,
} from '../../__testUtils__/fixtures';
import {
  permissionsAllowing,
  presentationOf,
} from '../../__testUtils__/renderEntityPage';

// The first render compiles every lazily loaded card of the plugin, which
// takes long on a busy machine.
jest.setTimeout(180_000);

/** The Lifecycle card, to look inside it. */
async function findCard(title: string) {
  const heading = await screen.findByText(
    title,
    { selector: '.MuiCardHeader-title, .MuiCardHeader-title *' },
    { timeout: 120_000 },
  );
  return within(heading.closest('.MuiCard-root') as HTMLElement);
}

const registered = (entity: Entity): Entity => ({
  ...entity,
  metadata: {
    ...entity.metadata,
    annotations: {
      'backstage.io/managed-by-location': `data-products-registry:${entity.metadata.name}`,
      'dataproducts.io/registry-status': 'provisioned',
    },
  },
});

const deprecated = (entity: Entity): Entity => ({
  ...entity,
  spec: {
    ...entity.spec,
    lifecycle: 'deprecated',
    deprecation: {
      sunset: '2099-03-31',
      replacement: 'dataproduct:default/sales-erp-orders',
      reason: 'The CRM moves to the ERP.',
    },
  },
});

function lifecycleApi(
  overrides: Partial<DataProductsLifecycleApi> = {},
): jest.Mocked<DataProductsLifecycleApi> {
  return {
    getConsumers: jest.fn(async () => []),
    deprecate: jest.fn(async () => {
      throw new Error('no answer to deprecate in this test');
    }),
    undeprecate: jest.fn(async () => {
      throw new Error('no answer to undeprecate in this test');
    }),
    deleteProduct: jest.fn(async () => {}),
    ...overrides,
  } as jest.Mocked<DataProductsLifecycleApi>;
}

function render(
  entity: Entity,
  api: DataProductsLifecycleApi,
  options: { entities?: Entity[]; allowed?: string[] } = {},
) {
  const entities = options.entities ?? [
    ...allEntities.filter(e => e.metadata.name !== entity.metadata.name),
    entity,
  ];
  return renderTestApp({
    features: [dataProductsPlugin],
    extensions: [createTestEntityPage({ entity })],
    apis: [
      catalogApiMock({ entities }),
      [entityPresentationApiRef, presentationOf(entities)],
      [dataProductsLifecycleApiRef, api],
      [permissionApiRef, permissionsAllowing(options.allowed)],
      mockApis.identity({ userEntityRef: 'user:default/ana.sales' }),
    ],
  });
}

describe('LifecycleCard', () => {
  it('deprecates with a sunset date and a replacement picked by its title', async () => {
    const api = lifecycleApi({
      deprecate: jest.fn(async () => ({} as any)),
    });
    render(registered(crmCustomers), api);
    const card = await findCard('Lifecycle');
    expect(card.getByText('production')).toBeInTheDocument();
    await userEvent.click(
      await card.findByRole('button', { name: 'Deprecate' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    fireEvent.change(dialog.getByLabelText('Sunset date'), {
      target: { value: '2099-03-31' },
    });
    await userEvent.type(dialog.getByLabelText('Replacement'), 'Sales ERP');
    await userEvent.click(
      await screen.findByRole('option', { name: 'Sales ERP Orders' }),
    );
    await userEvent.type(dialog.getByLabelText('Reason'), 'Moving on.');
    await userEvent.click(dialog.getByRole('button', { name: 'Deprecate' }));
    await waitFor(() =>
      expect(api.deprecate).toHaveBeenCalledWith(
        {
          kind: 'DataProduct',
          namespace: 'default',
          name: 'sales-crm-customers',
        },
        {
          sunset: '2099-03-31',
          replacement: 'dataproduct:default/sales-erp-orders',
          reason: 'Moving on.',
        },
      ),
    );
  });

  it('lists the consumers in the Delete dialog and refuses while any remains', async () => {
    const api = lifecycleApi({
      getConsumers: jest.fn(async () => [
        {
          ref: 'dataproduct:default/marketing-customer-360',
          kind: 'dataproduct' as const,
          title: 'Marketing Customer 360',
          ports: ['outputport:default/sales-crm-customers-customers'],
          via: ['input' as const, 'grant' as const],
        },
      ]),
    });
    render(registered(deprecated(crmCustomers)), api);
    const card = await findCard('Lifecycle');
    expect(card.getByText('2099-03-31')).toBeInTheDocument();
    await userEvent.click(card.getByRole('button', { name: 'Delete' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(
      await dialog.findByText(/cannot be deleted while it has consumers/),
    ).toHaveTextContent('It is deprecated until 2099-03-31');
    const consumers = within(dialog.getByRole('list', { name: 'Consumers' }));
    expect(consumers.getByText('Marketing Customer 360')).toBeInTheDocument();
    expect(
      consumers.getByText(
        'reads sales-crm-customers-customers (declared input, warehouse grant)',
      ),
    ).toBeInTheDocument();
    expect(dialog.getByRole('button', { name: 'Delete' })).toBeDisabled();
    expect(api.deleteProduct).not.toHaveBeenCalled();
  });

  it('deletes a product that nothing reads', async () => {
    const api = lifecycleApi();
    render(registered(crmCustomers), api);
    const card = await findCard('Lifecycle');
    await userEvent.click(card.getByRole('button', { name: 'Delete' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(
      await dialog.findByText(/Nothing reads Sales CRM Customers/),
    ).toBeInTheDocument();
    await userEvent.click(dialog.getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(api.deleteProduct).toHaveBeenCalledWith({
        kind: 'DataProduct',
        namespace: 'default',
        name: 'sales-crm-customers',
      }),
    );
  });

  it('disables Deprecate and Delete for those the policy does not allow', async () => {
    render(registered(crmCustomers), lifecycleApi(), {
      allowed: ['dataproduct.access.request'],
    });
    const card = await findCard('Lifecycle');
    // Each button asks its own permission: wait for both answers.
    await waitFor(() =>
      expect(card.getByRole('button', { name: 'Delete' })).toBeDisabled(),
    );
    await waitFor(() =>
      expect(card.getByRole('button', { name: 'Deprecate' })).toBeDisabled(),
    );
  });

  it('sends products from catalog files to their file', async () => {
    render(crmCustomers, lifecycleApi());
    const card = await findCard('Lifecycle');
    expect(
      card.getByText(/defined in a catalog file .*change its lifecycle there/),
    ).toBeInTheDocument();
    expect(card.queryByRole('button', { name: 'Delete' })).toBeNull();
  });
});

describe('DeprecationBanner', () => {
  const entities = [
    ...allEntities.filter(e => e.metadata.name !== 'sales-crm-customers'),
    registered(deprecated(crmCustomers)),
  ];

  it("warns a consumer's page that an input is deprecated, naming the sunset and the replacement", async () => {
    render(marketing360, lifecycleApi(), { entities });
    const banner = await screen.findByText(
      /Input Sales CRM Customers is deprecated/,
      {},
      { timeout: 10000 },
    );
    expect(banner).toHaveTextContent(
      'Input Sales CRM Customers is deprecated: sunset on 2099-03-31. Move to Sales ERP Orders before then. The CRM moves to the ERP.',
    );
  });

  it("warns the product's own page and its ports' pages", async () => {
    render(crmCustomersPort, lifecycleApi(), { entities });
    expect(
      await screen.findByText(
        /Its data product Sales CRM Customers is deprecated/,
        {},
        { timeout: 10000 },
      ),
    ).toBeInTheDocument();
  });

  it('shows nothing when no product involved is deprecated', async () => {
    render(marketing360, lifecycleApi());
    await findCard('Lifecycle');
    expect(screen.queryByText(/is deprecated/)).toBeNull();
  });
});
