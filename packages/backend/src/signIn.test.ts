import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import path from 'node:path';
import request from 'supertest';
import { databasePerPlugin } from './__testUtils__/databasePerPlugin';
import { authModuleDemoUserSignIn } from './modules/demoUserSignIn';
import { guestSignIn } from './modules/guestSignIn';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');

const signInAs = (server: Parameters<typeof request>[0], user: string) =>
  request(server).get('/api/auth/demoUsers/refresh').set('x-portal-user', user);

describe('sign-in', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });
  const overrides = createMockDirectory();
  const nodeEnv = process.env.NODE_ENV;

  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  /**
   * The backend's sign-in with the configuration files a start passes as
   * --config; runs `use` with its server and stops it.
   */
  async function withBackend(
    configFiles: string[],
    use: (server: Parameters<typeof request>[0]) => Promise<void>,
  ) {
    const backend = await startTestBackend({
      features: [
        authPlugin,
        guestSignIn,
        authModuleDemoUserSignIn,
        catalogPlugin,
        databasePerPlugin(databases),
        rootConfigServiceFactory({
          argv: [
            'node',
            'backend',
            ...configFiles.flatMap(file => ['--config', file]),
          ],
          watch: false,
        }),
      ],
    });
    try {
      await use(backend.server);
    } finally {
      await backend.stop();
    }
  }

  it('signs in as guest and as a picked demo user with the development configuration', async () => {
    process.env.NODE_ENV = 'development';
    // Only the catalog's file location made absolute: tests run elsewhere than packages/backend.
    overrides.setContent({
      'catalog.yaml': `catalog:
  processingInterval: { seconds: 1 }
  locations:
    - type: file
      target: ${path.join(ROOT, 'catalog-info/all.yaml')}
`,
    });
    await withBackend(
      [path.join(ROOT, 'app-config.yaml'), overrides.resolve('catalog.yaml')],
      async server => {
        const guest = await request(server).get('/api/auth/guest/refresh');
        expect(guest.status).toBe(200);
        expect(guest.body.backstageIdentity.identity.userEntityRef).toBe(
          'user:default/guest',
        );

        let ana = await signInAs(server, 'user:default/ana.sales');
        while (ana.status === 404) {
          // The catalog reads the demo organisation in its first processing rounds.
          await new Promise(resolve => setTimeout(resolve, 250));
          ana = await signInAs(server, 'user:default/ana.sales');
        }
        expect(ana.status).toBe(200);
        expect(ana.body.profile).toEqual({
          displayName: 'Ana Sales',
          email: 'ana.sales@example.com',
        });
        expect(ana.body.backstageIdentity.identity).toMatchObject({
          type: 'user',
          userEntityRef: 'user:default/ana.sales',
        });
        expect(
          ana.body.backstageIdentity.identity.ownershipEntityRefs.sort(),
        ).toEqual(['group:default/sales', 'user:default/ana.sales']);
        expect(ana.body.backstageIdentity.token).toEqual(expect.any(String));

        const nobody = await request(server).get('/api/auth/demoUsers/refresh');
        expect(nobody.status).toBe(401);
        expect(nobody.body.error.message).toBe(
          'Pick a demo user: send the header x-portal-user with a user entity ref, one of user:default/ana.sales, user:default/mark.marketing, user:default/lou.logistics, user:default/dana.platform',
        );
        const stranger = await request(server)
          .get('/api/auth/demoUsers/refresh')
          .set('x-portal-user', 'guest');
        expect(stranger.status).toBe(403);
        expect(stranger.body.error.message).toBe(
          'user:default/guest is not a demo user; pick one of user:default/ana.sales, user:default/mark.marketing, user:default/lou.logistics, user:default/dana.platform',
        );
      },
    );
  });

  it.each(['development', 'production'])(
    'refuses guest and demo-user sign-in with the production configuration (NODE_ENV=%s)',
    async environment => {
      // `./portal start` on an external server runs the production
      // configuration with NODE_ENV=development; a built backend with production.
      process.env.NODE_ENV = environment;
      await withBackend(
        [
          path.join(ROOT, 'app-config.yaml'),
          path.join(ROOT, 'app-config.production.yaml'),
        ],
        async server => {
          // The guest module is not even loaded; demo users are not configured.
          for (const [provider, refusal] of [
            ['guest', "Unknown auth provider 'guest'"],
            ['demoUsers', "No auth provider registered for 'demoUsers'"],
          ]) {
            const res = await request(server)
              .get(`/api/auth/${provider}/refresh`)
              .set('x-portal-user', 'user:default/dana.platform');
            expect(res.status).toBe(404);
            expect(res.body.error.message).toBe(refusal);
            expect(res.body.backstageIdentity).toBeUndefined();
          }
        },
      );
    },
  );

  it('will not start demo-user sign-in outside development', async () => {
    process.env.NODE_ENV = 'production';
    await expect(
      startTestBackend({
        features: [
          authPlugin,
          authModuleDemoUserSignIn,
          catalogPlugin,
          databasePerPlugin(databases),
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://localhost:3000' },
              backend: { baseUrl: 'http://localhost:7007' },
              auth: {
                environment: 'production',
                providers: { demoUsers: { users: ['user:default/ana.sales'] } },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      'Failed to initialize demoUsers auth provider, auth.providers.demoUsers lets anyone sign in as any demo user, so it runs only with auth.environment development, not "production"; remove it from this configuration',
    );
  });
});
