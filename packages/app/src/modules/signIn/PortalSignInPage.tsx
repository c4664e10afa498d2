import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import { DemoUserSignInPage } from './DemoUserSignInPage';
import { oidcAuthApiRef } from './oidcAuthApi';

/**
 * The portal's sign-in page. With `auth.environment: development` and demo
 * users configured (`auth.providers.demoUsers.users`) a person picks a demo
 * user or guest; anywhere else only the company's OpenID Connect sign-in.
 * The configuration decides, not the build: `./portal start` serves a
 * production build of the app in development.
 */
export function PortalSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  const users = configApi.getOptionalStringArray(
    'auth.providers.demoUsers.users',
  );
  if (
    configApi.getOptionalString('auth.environment') === 'development' &&
    users?.length
  ) {
    return <DemoUserSignInPage {...props} users={users} />;
  }
  return (
    <SignInPage
      {...props}
      auto
      provider={{
        id: 'oidc-auth-provider',
        title: 'Company sign-in',
        message: 'Sign in with your company account (OpenID Connect).',
        apiRef: oidcAuthApiRef,
      }}
    />
  );
}
