import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { allEntities } from '../../__testUtils__/fixtures';
import { GetStartedCard } from './GetStartedCard';

describe('GetStartedCard', () => {
  it('points to Create and to the demo while the catalog has no data product', async () => {
    await renderInTestApp(<GetStartedCard />, {
      apis: [catalogApiMock({ entities: [] })],
    });
    // The first render of a suite is slow on a busy machine: allow time.
    expect(
      await screen.findByText('No data products yet', {}, { timeout: 10000 }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Create a data product').closest('a'),
    ).toHaveAttribute('href', '/create');
    expect(screen.getByText('./portal demo')).toBeInTheDocument();
  });

  it('shows nothing once there is a data product', async () => {
    const { container } = await renderInTestApp(<GetStartedCard />, {
      apis: [catalogApiMock({ entities: allEntities })],
    });
    // The card would show right after the answer; give it that time.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(container.textContent).toBe('');
  });
});
