import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');

/** The portal's real app-config.yaml, with catalog file locations made absolute. */
function appConfig() {
  const config = yaml.parse(
    fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
  );
  for (const location of config.catalog.locations) {
    location.target = path.resolve(ROOT, 'packages/backend', location.target);
  }
  return config;
}

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('the portal backend', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  it('loads the demo organisation into the catalog', async () => {
    const knex = await databases.init('POSTGRES_18');
    const { catalog, ...config } = appConfig();
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            ...config,
            // The mock auth service of test backends cannot call the permission
            // backend on a user's behalf; authorization is not under test here.
            permission: { enabled: false },
            catalog: { ...catalog, processingInterval: { seconds: 1 } },
          },
        }),
      ],
    });

    try {
      const names = await waitFor(async () => {
        const res = await request(backend.server)
          .get(
          '/api/catalog/entities/by-query?filter=kind=domain&filter=kind=resource',
        );
        expect(res.status).toBe(200);
        const found = res.body.items.map(
          (e: any) => `${e.kind}:${e.metadata.name}`,
        );
        return found.length >= 6 ? found.sort() : undefined;
      });
      expect(names).toEqual([
        'Domain:logistics',
        'Domain:marketing',
        'Domain:sales',
        'Resource:crm-customers',
        'Resource:erp-orders',
        'Resource:wms-shipments',
      ]);

      const resource = await request(backend.server).get(
        '/api/catalog/entities/by-name/resource/default/erp-orders',
      );
      expect(resource.body.spec).toEqual({
        type: 'postgres-table',
        owner: 'group:sales',
        system: 'erp',
      });
      expect(resource.body.relations).toEqual(
        expect.arrayContaining([
          { type: 'ownedBy', targetRef: 'group:default/sales' },
          { type: 'partOf', targetRef: 'system:default/erp' },
        ]),
      );
    } finally {
      await backend.stop();
    }
  });
});
