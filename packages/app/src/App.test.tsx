import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('opens on the sign-in page, titled with app.title, offering guest sign-in', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Data Product Portal' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Data Product Portal',
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/^Enter as a Guest User\./),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
  });
});
