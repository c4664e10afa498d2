import { render, screen } from '@testing-library/react';
import App from './App';

function renderWithConfig(data: object) {
  process.env = {
    NODE_ENV: 'test',
    APP_CONFIG: [
      {
        data: {
          app: { title: 'Data Product Portal' },
          backend: { baseUrl: 'http://localhost:7007' },
          ...data,
        },
        context: 'test',
      },
    ] as any,
  };
  return render(App.createRoot());
}

// The app loads its sign-in page lazily: allow for a busy machine.
const loaded = { timeout: 20_000 };
jest.setTimeout(60_000);

describe('App', () => {
  afterEach(() => localStorage.clear());

  it('opens in development on a sign-in page offering the demo users and guest', async () => {
    renderWithConfig({
      auth: {
        environment: 'development',
        providers: {
          demoUsers: {
            users: ['user:default/ana.sales', 'user:default/mark.marketing'],
          },
        },
      },
    });

    expect(
      await screen.findByRole(
        'heading',
        { level: 1, name: 'Data Product Portal' },
        loaded,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Sign in as a demo user (development only)'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as ana.sales' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as mark.marketing' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Enter as a Guest User.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
  });
});
