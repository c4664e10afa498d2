import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  fromOdcsContract,
  isOutputPortEntity,
  OdcsDataContract,
  validateOdcsContract,
} from '@dataproducts/plugin-data-products-common';
import {
  METADATA_SCHEMA,
  parseOdcsYaml,
  warehouseServiceRef,
} from '@dataproducts/plugin-data-products-node';
import {
  createTestWarehouse,
  createWarehouseTestDatabases,
  provisionDemo,
  TestWarehouse,
  warehouseTestDatabaseId,
} from '@dataproducts/plugin-data-products-node/testUtils';
import request from 'supertest';
import { dataProductsPlugin } from '../plugin';
import { demoCatalog, withRelations } from '../testUtils/demoCatalog';

jest.setTimeout(120_000);

const CONFIG = {
  app: { baseUrl: 'http://localhost:3000' },
  dataProducts: {
    warehouse: {
      connection: {
        host: 'pg-internal.cluster.local',
        port: 6543,
        user: 'portal',
        password: 'never-in-a-contract',
      },
      database: 'dataproducts_warehouse',
    },
    contracts: {
      server: { host: 'warehouse.example.com', environment: 'prod' },
    },
  },
};

describe('GET /api/data-products/contracts', () => {
  let warehouse: TestWarehouse;
  const stops: Array<() => Promise<void>> = [];
  // Declared before the test databases, whose own afterAll closes them:
  // jest runs afterAll hooks in the order they were declared.
  afterAll(async () => {
    for (const stop of stops) await stop();
    await warehouse?.cleanup();
  });
  const databases = createWarehouseTestDatabases();

  beforeAll(async () => {
    warehouse = await createTestWarehouse(databases);
    await provisionDemo(warehouse.engine);
  });

  async function startPortal(entities: Entity[]) {
    const backend = await startTestBackend({
      features: [
        // Each plugin a fresh database of its own, as in production.
        createServiceFactory({
          service: coreServices.database,
          deps: {},
          factory: async () => {
            const knex = await databases.init(warehouseTestDatabaseId());
            return { getClient: async () => knex };
          },
        }),
        mockServices.rootConfig.factory({ data: CONFIG }),
        catalogServiceMock.factory({ entities }),
        createServiceFactory({
          service: warehouseServiceRef,
          deps: {},
          factory: () => warehouse.engine,
        }),
        dataProductsPlugin,
      ],
    });
    stops.push(() => backend.stop());
    return request(backend.server);
  }

  /** The roles holding a port's reader role, from pg_auth_members. */
  async function readersInPostgres(product: string, port: string) {
    const { rows } = await warehouse.knex.raw(
      `SELECT u.rolname FROM pg_catalog.pg_auth_members m
         JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
         JOIN pg_catalog.pg_roles u ON u.oid = m.member
        WHERE r.rolname = (SELECT reader_role FROM ${METADATA_SCHEMA}.ports
                            WHERE product = ? AND port = ?)
        ORDER BY 1`,
      [product, port],
    );
    return rows.map((row: { rolname: string }) => row.rolname);
  }

  const demo = demoCatalog();
  const demoPorts = demo.filter(isOutputPortEntity);

  it('answers every demo port with a contract valid against our ODCS v3.1.0 schema', async () => {
    const server = await startPortal(demo);
    expect(demoPorts).toHaveLength(4);
    for (const port of demoPorts) {
      const res = await server.get(
        `/api/data-products/contracts/${port.metadata.name}.yaml`,
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/yaml/);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="${port.metadata.name}.odcs.yaml"`,
      );
      expect(res.text).not.toMatch(/never-in-a-contract|pg-internal/);
      const contract = parseOdcsYaml(res.text) as OdcsDataContract;
      expect(validateOdcsContract(contract)).toEqual([]);
      const product = demo.find(
        e => e.metadata.name === port.spec.dataProduct,
      )!;
      expect(contract).toMatchObject({
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: `outputport:default/${port.metadata.name}`,
        version: '1.0.0',
        status: 'active',
        dataProduct: product.metadata.name,
        domain: product.spec!.domain,
        team: { name: String(product.spec!.owner).replace('group:', '') },
        servers: [
          {
            server: 'warehouse',
            type: 'postgres',
            environment: 'prod',
            host: 'warehouse.example.com',
            port: 6543,
            database: 'dataproducts_warehouse',
            schema: product.spec!.schema,
          },
        ],
      });
      expect(contract.schema![0].properties!.map(p => p.name)).toEqual(
        port.spec.columns.map(c => c.name),
      );
      // The roles are who really holds the port's reader role.
      expect((contract.roles ?? []).map(r => r.role)).toEqual(
        await readersInPostgres(product.metadata.name, port.spec.name),
      );
    }
  });

  it('names the roles that read a port, with the product each belongs to', async () => {
    const server = await startPortal(demo);
    const res = await server.get(
      '/api/data-products/contracts/default/sales-crm-customers-customers.yaml',
    );
    const contract = parseOdcsYaml(res.text) as OdcsDataContract;
    expect(contract.roles).toEqual([
      {
        role: expect.any(String),
        access: 'read',
        description: 'Held by data product marketing-customer-360',
      },
    ]);
    expect(contract.schema![0].properties![0]).toEqual({
      name: 'id',
      physicalType: 'INTEGER',
      logicalType: 'integer',
      description: 'Unique identifier for the customer.',
      required: true,
      unique: true,
      primaryKey: true,
      primaryKeyPosition: 1,
    });
  });

  it('gives the same text after export → import → export, for every demo port', async () => {
    const server = await startPortal(demo);
    const exported = new Map<string, string>();
    const imported: Entity[] = [];
    for (const port of demoPorts) {
      const res = await server.get(
        `/api/data-products/contracts/${port.metadata.name}.yaml`,
      );
      exported.set(port.metadata.name, res.text);
      const definitions = fromOdcsContract(parseOdcsYaml(res.text));
      imported.push(definitions.product, definitions.port);
    }
    // The catalog now holds the imported definitions instead of the demo's.
    const again = await startPortal(withRelations(imported));
    for (const port of demoPorts) {
      const res = await again.get(
        `/api/data-products/contracts/${port.metadata.name}.yaml`,
      );
      expect(res.status).toBe(200);
      expect(parseOdcsYaml(res.text)).toEqual(
        parseOdcsYaml(exported.get(port.metadata.name)!),
      );
      expect(res.text).toBe(exported.get(port.metadata.name));
    }
  });

  it('answers 404 for a port the catalog does not have, naming it', async () => {
    const server = await startPortal(demo);
    const unknown = await server.get(
      '/api/data-products/contracts/no-such-port.yaml',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({
      name: 'NotFoundError',
      message:
        'No output port outputport:default/no-such-port in the catalog: check the namespace and name (the entity name, e.g. sales-crm-customers-customers)',
    });
    expect(JSON.stringify(unknown.body)).not.toMatch(/ at /);
    // A data product is no output port.
    const product = await server.get(
      '/api/data-products/contracts/sales-crm-customers.yaml',
    );
    expect(product.status).toBe(404);
    const otherNamespace = await server.get(
      '/api/data-products/contracts/elsewhere/sales-crm-customers-customers.yaml',
    );
    expect(otherNamespace.status).toBe(404);
  });

  it('refuses a caller without credentials', async () => {
    const server = await startPortal(demo);
    const res = await server
      .get('/api/data-products/contracts/sales-crm-customers-customers.yaml')
      .set('Authorization', 'Bearer not-a-token');
    expect(res.status).toBe(401);
    expect(res.text).not.toMatch(/DataContract/);
  });
});
