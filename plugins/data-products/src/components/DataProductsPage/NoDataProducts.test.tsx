import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { NoDataProducts } from './NoDataProducts';

describe('NoDataProducts', () => {
  it('points a newcomer to the templates and to the demo', async () => {
    await renderInTestApp(<NoDataProducts />);
    expect(screen.getByText('No data products yet')).toBeInTheDocument();
    expect(
      screen.getByText('Create a data product').closest('a'),
    ).toHaveAttribute('href', '/create');
    expect(screen.getByText('./portal demo')).toBeInTheDocument();
  });
});
