import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { oidcAuthApiRef } from './oidcAuthApi';
import { PortalSignInPage } from './PortalSignInPage';

const development = {
  app: { title: 'Data Product Portal' },
  backend: { baseUrl: 'http://localhost:7007' },
  auth: {
    environment: 'development',
    providers: {
      demoUsers: {
        users: ['user:default/ana.sales', 'user:default/mark.marketing'],
      },
    },
  },
};

/** A Backstage token whose only claim that matters here is its expiry. */
const token = [
  'e30',
  btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600 })),
  'signature',
].join('.');

function session(userEntityRef: string) {
  return {
    profile: { displayName: userEntityRef },
    backstageIdentity: {
      token,
      identity: {
        type: 'user',
        userEntityRef,
        ownershipEntityRefs: [userEntityRef],
      },
    },
  };
}

describe('PortalSignInPage', () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
    localStorage.clear();
  });

  it('signs in as the demo user a person picks, and as that user again after a reload', async () => {
    const fetch = jest.fn(async (_url: string, init: RequestInit) => {
      const user = new Headers(init.headers).get('x-portal-user')!;
      return new Response(JSON.stringify(session(user)), {
        headers: { 'content-type': 'application/json' },
      });
    });
    global.fetch = fetch as unknown as typeof global.fetch;
    const onSignInSuccess = jest.fn();
    const page = await renderInTestApp(
      <PortalSignInPage onSignInSuccess={onSignInSuccess} />,
      { config: development },
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Sign in as mark.marketing' }),
    );
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalledTimes(1));
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://localhost:7007/api/auth/demoUsers/refresh');
    expect(new Headers(init.headers).get('x-portal-user')).toBe(
      'user:default/mark.marketing',
    );
    const identity = onSignInSuccess.mock.calls[0][0];
    await expect(identity.getBackstageIdentity()).resolves.toMatchObject({
      userEntityRef: 'user:default/mark.marketing',
    });

    page.unmount();
    await renderInTestApp(
      <PortalSignInPage onSignInSuccess={onSignInSuccess} />,
      { config: development },
    );
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalledTimes(2));
    expect(screen.queryByRole('button', { name: /Sign in as/ })).toBeNull();

    await identity.signOut();
    await renderInTestApp(
      <PortalSignInPage onSignInSuccess={onSignInSuccess} />,
      { config: development },
    );
    expect(
      await screen.findByRole('button', { name: 'Sign in as ana.sales' }),
    ).toBeInTheDocument();
  });

  it('says why a sign-in failed and lets the person pick someone else', async () => {
    global.fetch = jest.fn(
      async () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'NotAllowedError',
              message: 'user:default/nobody is not a demo user',
            },
            response: { statusCode: 403 },
          }),
          { status: 403, headers: { 'content-type': 'application/json' } },
        ),
    ) as unknown as typeof global.fetch;
    await renderInTestApp(<PortalSignInPage onSignInSuccess={jest.fn()} />, {
      config: development,
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Sign in as ana.sales' }),
    );
    expect(
      await screen.findByText(/user:default\/nobody is not a demo user/),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Pick someone else' }),
    );
    expect(
      await screen.findByRole('button', { name: 'Sign in as ana.sales' }),
    ).toBeInTheDocument();
  });

  it('offers only the company sign-in outside development', async () => {
    const oidc = {
      getBackstageIdentity: jest.fn(async () => undefined),
      getProfile: jest.fn(async () => undefined),
      signIn: jest.fn(),
      signOut: jest.fn(),
      sessionState$: jest.fn(),
      getIdToken: jest.fn(),
    };
    await renderInTestApp(<PortalSignInPage onSignInSuccess={jest.fn()} />, {
      config: {
        app: { title: 'Data Product Portal' },
        auth: { environment: 'production', providers: { demoUsers: null } },
      },
      apis: [[oidcAuthApiRef, oidc]],
    });
    expect(
      await screen.findByText(
        'Sign in with your company account (OpenID Connect).',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign In' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Enter' })).toBeNull();
    expect(screen.queryByText(/demo user/)).toBeNull();
  });
});
