import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import authModuleGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';

/**
 * Guest sign-in, added only where the configuration has
 * `auth.providers.guest`: the production configuration removes it
 * (`guest: null`), and the guest module cannot start without it.
 */
export const guestSignIn = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (config.has('auth.providers.guest')) {
      yield authModuleGuestProvider;
    }
  },
});
