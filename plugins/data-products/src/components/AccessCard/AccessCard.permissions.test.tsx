import { waitFor } from '@testing-library/react';
import {
  crmPortAccess,
  organisation,
  pendingRequest,
} from '../../__testUtils__/accessFixtures';
import {
  allEntities,
  crmCustomersPort,
  erpOrdersPort,
} from '../../__testUtils__/fixtures';
import {
  findCard,
  mockAccessApi,
  mockDataProductsApi,
  permissionsAllowing,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';

// A file of its own: usePermission caches each answer per permission and
// product for the whole test file, so each test here asks about another product.
const entities = [...allEntities, ...organisation];

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
