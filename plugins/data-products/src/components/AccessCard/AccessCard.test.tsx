import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  crmPortAccess,
  grantedRequest,
  organisation,
  pendingRequest,
} from '../../__testUtils__/accessFixtures';
import {
  allEntities,
  crmCustomers,
  crmCustomersPort,
  crmCustomersResource,
  erpOrdersPort,
} from '../../__testUtils__/fixtures';
import {
  EntityPageOptions,
  findCard,
  mockAccessApi,
  mockDataProductsApi,
  permissionsAllowing,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';

const entities = [...allEntities, ...organisation];

function renderPortPage(options: EntityPageOptions = {}) {
  return renderEntityPage(
    crmCustomersPort,
    mockDataProductsApi(),
    entities,
    options,
  );
}

const rowOf = (card: ReturnType<typeof within>, text: string) =>
  within(card.getByText(text).closest('tr') as HTMLElement);

describe('AccessCard', () => {
  it('lists who reads the port, from the warehouse, joined with the requests', async () => {
    const accessApi = mockAccessApi({
      getPortAccess: jest.fn(async () => crmPortAccess),
    });
    renderPortPage({ accessApi });
    const card = await findCard('Access');
    expect(
      card.getByText(
        'Restricted: an owner of the product approves each request.',
      ),
    ).toBeInTheDocument();
    expect(await card.findByText('Who can read (3)')).toBeInTheDocument();

    const input = rowOf(card, 'as a declared input');
    expect(
      await input.findByText('Marketing Customer 360'),
    ).toBeInTheDocument();
    expect(input.queryByRole('button', { name: 'Revoke' })).toBeNull();

    const granted = rowOf(card, grantedRequest.purpose);
    expect(await granted.findByText('Marketing')).toBeInTheDocument();
    expect(await granted.findByText('Ana Sales')).toBeInTheDocument();
    expect(granted.getByText('through a request')).toBeInTheDocument();
    expect(
      granted.getByText(new Date(grantedRequest.until!).toLocaleDateString()),
    ).toBeInTheDocument();
    expect(granted.getByRole('button', { name: 'Revoke' })).toBeInTheDocument();

    const byHand = rowOf(card, 'bi_readonly');
    expect(byHand.getByText('unmanaged')).toBeInTheDocument();
    expect(byHand.queryByRole('button', { name: 'Revoke' })).toBeNull();

    expect(card.getByText('Waiting for approval (1)')).toBeInTheDocument();
    const pending = rowOf(card, pendingRequest.purpose);
    expect(await pending.findByText('Logistics')).toBeInTheDocument();
    expect(await pending.findByText('Lou Logistics')).toBeInTheDocument();
    expect(
      pending.getByRole('button', { name: 'Approve' }),
    ).toBeInTheDocument();
    expect(pending.getByRole('button', { name: 'Deny' })).toBeInTheDocument();
    expect(accessApi.getPortAccess).toHaveBeenCalledWith(
      'outputport:default/sales-crm-customers-customers',
    );
  });

  it('approves a pending request with a note, and shows the new reader', async () => {
    const approved = {
      ...pendingRequest,
      status: 'granted' as const,
      decidedBy: 'user:default/ana.sales',
      decisionNote: 'For route planning only',
    };
    const accessApi = mockAccessApi({
      getPortAccess: jest
        .fn()
        .mockResolvedValueOnce(crmPortAccess)
        .mockResolvedValue({
          readers: [
            ...crmPortAccess.readers,
            {
              role: 'dp_grp_logistics',
              consumer: 'group:default/logistics',
              managed: true,
              request: approved,
            },
          ],
          pending: [],
        }),
      approveAccessRequest: jest.fn(async () => approved),
    });
    renderPortPage({ accessApi });
    const card = await findCard('Access');
    await userEvent.click(await card.findByRole('button', { name: 'Approve' }));

    const dialog = within(await screen.findByRole('dialog'));
    expect(dialog.getByText(/Approve access for/)).toBeInTheDocument();
    await userEvent.type(
      dialog.getByRole('textbox', { name: 'Note (optional)' }),
      'For route planning only',
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Approve' }));

    await waitFor(() =>
      expect(accessApi.approveAccessRequest).toHaveBeenCalledWith(
        'req-pending',
        { note: 'For route planning only' },
      ),
    );
    expect(await card.findByText('Who can read (4)')).toBeInTheDocument();
    expect(card.getByText('Waiting for approval (0)')).toBeInTheDocument();
    expect(
      card.getByText('No request waits for a decision.'),
    ).toBeInTheDocument();
  });

  it('shows the server’s reason when a decision is refused, and keeps the dialog open', async () => {
    const refusal = Object.assign(
      new Error('You may not approve access to sales-crm-customers'),
      { name: 'NotAllowedError' },
    );
    renderPortPage({
      accessApi: mockAccessApi({
        getPortAccess: jest.fn(async () => crmPortAccess),
        denyAccessRequest: jest.fn(async () => {
          throw refusal;
        }),
      }),
    });
    const card = await findCard('Access');
    await userEvent.click(await card.findByRole('button', { name: 'Deny' }));
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Deny' }));
    expect(
      await dialog.findByText(
        'You may not approve access to sales-crm-customers',
      ),
    ).toBeInTheDocument();
  });

  it('says why the readers cannot be shown', async () => {
    renderPortPage({
      accessApi: mockAccessApi({
        getPortAccess: jest.fn(async () => {
          throw new Error('The warehouse is unreachable: connect ECONNREFUSED');
        }),
      }),
    });
    const card = await findCard('Access');
    expect(
      await card.findByText(
        'The warehouse is unreachable: connect ECONNREFUSED',
        { selector: 'p' },
      ),
    ).toBeInTheDocument();
  });

  it('shows the access of every port on a product page', async () => {
    const accessApi = mockAccessApi({
      getPortAccess: jest.fn(async () => crmPortAccess),
    });
    renderEntityPage(crmCustomers, mockDataProductsApi(), entities, {
      accessApi,
    });
    const card = await findCard('Access');
    expect(
      await card.findByText('Who can read (3)', {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(accessApi.getPortAccess).toHaveBeenCalledWith(
      'outputport:default/sales-crm-customers-customers',
    );
    expect(
      await card.findByRole('button', { name: 'Request access' }),
    ).toBeInTheDocument();
  });

  it('does not show on other kinds', async () => {
    const accessApi = mockAccessApi();
    renderEntityPage(
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'web', namespace: DEFAULT_NAMESPACE },
        spec: { type: 'website', owner: 'group:sales' },
      },
      mockDataProductsApi(),
      entities,
      { accessApi },
    );
    expect(
      await screen.findByTestId('empty-entity-page', {}, { timeout: 10000 }),
    ).toBeInTheDocument();
    renderEntityPage(crmCustomersResource, mockDataProductsApi(), entities, {
      accessApi,
    });
    expect(await findCard('Lineage')).toBeDefined();
    expect(screen.queryByText('Access')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Request access' })).toBeNull();
    expect(accessApi.getPortAccess).not.toHaveBeenCalled();
  });
});

/** Waits until the card asked the permission policy for `name`, and its answer had time to render. */
async function untilAsked(
  permissionApi: ReturnType<typeof permissionsAllowing>,
  name: string,
) {
  await waitFor(() =>
    expect(permissionApi.authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({ name }),
      }),
    ),
  );
  await new Promise(resolve => setTimeout(resolve, 50));
}

describe('AccessCard permissions', () => {
  it('hides Approve, Deny and Revoke from those the policy does not allow', async () => {
    const permissionApi = permissionsAllowing(['dataproduct.access.request']);
    renderEntityPage(crmCustomersPort, mockDataProductsApi(), entities, {
      accessApi: mockAccessApi({
        getPortAccess: jest.fn(async () => crmPortAccess),
      }),
      permissionApi,
    });
    const card = await findCard('Access');
    expect(await card.findByText(pendingRequest.purpose)).toBeInTheDocument();
    expect(card.getByText('unmanaged')).toBeInTheDocument();
    expect(
      await card.findByRole('button', { name: 'Request access' }),
    ).toBeInTheDocument();
    await untilAsked(permissionApi, 'dataproduct.access.approve');
    await untilAsked(permissionApi, 'dataproduct.access.revoke');
    expect(card.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(card.queryByRole('button', { name: 'Deny' })).toBeNull();
    expect(card.queryByRole('button', { name: 'Revoke' })).toBeNull();
  });

  it('offers no Request access to those who may not request', async () => {
    const permissionApi = permissionsAllowing([]);
    renderEntityPage(erpOrdersPort, mockDataProductsApi(), entities, {
      permissionApi,
    });
    const card = await findCard('Access');
    expect(
      await card.findByText(
        "No one reads this yet: only the owning product's own role.",
      ),
    ).toBeInTheDocument();
    await untilAsked(permissionApi, 'dataproduct.access.request');
    expect(card.queryByRole('button', { name: 'Request access' })).toBeNull();
  });
});
