import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { oidcAuthApi } from './oidcAuthApi';

/** The portal's sign-in page, in place of the app's guest-only default. */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: () => import('./PortalSignInPage').then(m => m.PortalSignInPage),
  },
});

/** Sign-in: demo users in development, OpenID Connect elsewhere. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage, oidcAuthApi],
});
