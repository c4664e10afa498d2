import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import type { AccessRequest } from '@dataproducts/plugin-data-products-common';
import {
  organisation,
  pendingRequest,
} from '../../__testUtils__/accessFixtures';
import { allEntities, crmCustomersPort } from '../../__testUtils__/fixtures';
import {
  EntityPageOptions,
  findCard,
  mockAccessApi,
  mockDataProductsApi,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';

const entities = [...allEntities, ...organisation];

const withAccess = (access: string): Entity => ({
  ...crmCustomersPort,
  spec: { ...crmCustomersPort.spec, access },
});

async function openDialog(port: Entity, options: EntityPageOptions) {
  renderEntityPage(port, mockDataProductsApi(), entities, options);
  const card = await findCard('Access');
  await userEvent.click(
    await card.findByRole('button', { name: 'Request access' }),
  );
  return within(await screen.findByRole('dialog'));
}

describe('RequestAccessButton', () => {
  it('asks for a restricted port for one of my products, with a purpose and an end date', async () => {
    const recorded: AccessRequest = {
      ...pendingRequest,
      id: 'req-new',
      consumer: 'dataproduct:default/marketing-customer-360',
      requester: 'user:default/mark.marketing',
      purpose: 'Campaign targeting',
    };
    const accessApi = mockAccessApi({
      requestAccess: jest.fn(async () => recorded),
      getPortAccess: jest
        .fn()
        .mockResolvedValueOnce({ readers: [], pending: [] })
        .mockResolvedValue({ readers: [], pending: [recorded] }),
    });
    const dialog = await openDialog(crmCustomersPort, { accessApi });

    expect(dialog.getByText('Output port: customers')).toBeInTheDocument();
    expect(
      dialog.getByText(
        'Restricted: an owner of the product approves each request.',
      ),
    ).toBeInTheDocument();
    // The consumers are my group's product and my group, by their names.
    const consumer = await dialog.findByRole('button', {
      name: /Access for/,
    });
    expect(consumer).toHaveTextContent('Marketing Customer 360');
    await userEvent.click(consumer);
    const options = within(await screen.findByRole('listbox'));
    expect(options.getByRole('option', { name: 'Marketing' })).toBeVisible();
    await userEvent.click(
      options.getByRole('option', { name: 'Marketing Customer 360' }),
    );

    await userEvent.type(
      dialog.getByRole('textbox', { name: 'Purpose' }),
      'Campaign targeting',
    );
    await userEvent.type(
      dialog.getByLabelText('Until (optional)'),
      '2031-06-30',
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Request' }));

    await waitFor(() =>
      expect(accessApi.requestAccess).toHaveBeenCalledWith({
        port: 'outputport:default/sales-crm-customers-customers',
        consumer: 'dataproduct:default/marketing-customer-360',
        purpose: 'Campaign targeting',
        until: new Date('2031-06-30T23:59:59').toISOString(),
      }),
    );
    const card = await findCard('Access');
    expect(
      await card.findByText('Waiting for approval (1)'),
    ).toBeInTheDocument();
    expect(card.getByText('Campaign targeting')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says a public port is granted at once', async () => {
    const dialog = await openDialog(withAccess('unrestricted'), {});
    expect(
      dialog.getByText('Public: access is granted as soon as you ask.'),
    ).toBeInTheDocument();
  });

  it('says a private port cannot be requested, and offers no way to', async () => {
    const accessApi = mockAccessApi();
    const dialog = await openDialog(withAccess('private'), { accessApi });
    expect(
      dialog.getByText(
        'Private: this port cannot be requested. Only its own product reads it.',
      ),
    ).toBeInTheDocument();
    expect(dialog.queryByRole('textbox', { name: 'Purpose' })).toBeNull();
    expect(dialog.getByRole('button', { name: 'Request' })).toBeDisabled();
    expect(accessApi.requestAccess).not.toHaveBeenCalled();
  });

  it('shows why the portal refused the request', async () => {
    const conflict = Object.assign(
      new Error(
        'Marketing Customer 360 already has a pending request for this port',
      ),
      { name: 'ConflictError' },
    );
    const dialog = await openDialog(crmCustomersPort, {
      accessApi: mockAccessApi({
        requestAccess: jest.fn(async () => {
          throw conflict;
        }),
      }),
    });
    await userEvent.type(
      await dialog.findByRole('textbox', { name: 'Purpose' }),
      'Campaign targeting',
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Request' }));
    expect(
      await dialog.findByText(
        'Marketing Customer 360 already has a pending request for this port',
      ),
    ).toBeInTheDocument();
  });

  it('tells a user without a group that there is no one to request for', async () => {
    const dialog = await openDialog(crmCustomersPort, {
      ownershipEntityRefs: ['user:default/visitor'],
    });
    expect(
      await dialog.findByText(
        'You belong to no group, so there is no one to request access for.',
      ),
    ).toBeInTheDocument();
    expect(dialog.getByRole('button', { name: 'Request' })).toBeDisabled();
  });
});
