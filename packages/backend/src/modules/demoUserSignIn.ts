import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The auth provider id, and its key under `auth.providers`. */
export const DEMO_USERS_PROVIDER_ID = 'demoUsers';

/** The request header that names the demo user to sign in as. */
export const DEMO_USER_HEADER = 'x-portal-user';

/** A user entity ref as written in the header or the config, in full. */
function userRef(value: string): string {
  const ref = parseEntityRef(value, {
    defaultKind: 'user',
    defaultNamespace: DEFAULT_NAMESPACE,
  });
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new NotAllowedError(
      `${JSON.stringify(
        value,
      )} is not a User: name a user entity, e.g. user:default/ana.sales`,
    );
  }
  return stringifyEntityRef(ref);
}

/**
 * Signs in as the demo user named in the `x-portal-user` header: one of
 * `auth.providers.demoUsers.users`, or any catalog User when the list is
 * absent. Development only: anyone who can reach the portal can claim to be
 * anyone.
 */
const demoUserAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async (result: { userEntityRef: string }, ctx) => {
    const { entity } = await ctx.findCatalogUser({
      entityRef: result.userEntityRef,
    });
    const profile = (entity.spec?.profile ?? {}) as {
      displayName?: string;
      email?: string;
    };
    return {
      profile: {
        displayName: profile.displayName ?? entity.metadata.name,
        email: profile.email,
      },
    };
  },
  initialize({ config }) {
    return { users: config.getOptionalStringArray('users')?.map(userRef) };
  },
  async authenticate({ req }, { users }) {
    const chosen = req.header(DEMO_USER_HEADER);
    if (!chosen) {
      throw new AuthenticationError(
        `Pick a demo user: send the header ${DEMO_USER_HEADER} with a user entity ref${
          users ? `, one of ${users.join(', ')}` : ''
        }`,
      );
    }
    const userEntityRef = userRef(chosen);
    if (users && !users.includes(userEntityRef)) {
      throw new NotAllowedError(
        `${userEntityRef} is not a demo user; pick one of ${users.join(', ')}`,
      );
    }
    return { result: { userEntityRef } };
  },
});

/**
 * The `demoUsers` sign-in of local development: a person picks one of the
 * demo organisation's users, so that two browsers can play owner and
 * consumer. It signs in only with `auth.environment: development`; a
 * configuration that enables it elsewhere fails to start it.
 */
export const authModuleDemoUserSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-user-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        const environment = config.getOptionalString('auth.environment');
        const factory = createProxyAuthProviderFactory({
          authenticator: demoUserAuthenticator,
          signInResolver: async ({ result }, ctx) =>
            ctx.signInWithCatalogUser({ entityRef: result.userEntityRef }),
        });
        providers.registerProvider({
          providerId: DEMO_USERS_PROVIDER_ID,
          factory: options => {
            if (environment !== 'development') {
              throw new Error(
                `auth.providers.${DEMO_USERS_PROVIDER_ID} lets anyone sign in as any demo user, so it runs only with auth.environment development, not ${JSON.stringify(
                  environment,
                )}; remove it from this configuration`,
              );
            }
            return factory(options);
          },
        });
      },
    });
  },
});
