import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  warehouseServiceRef,
  type WarehouseService,
} from '@dataproducts/plugin-data-products-node';
import { ConflictError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Knex } from 'knex';
import request from 'supertest';
import { dataProductsPlugin } from '../plugin';

jest.setTimeout(60_000);

const product = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'sales-crm-customers', title: 'Sales CRM Customers' },
  spec: {
    type: 'source-aligned',
    lifecycle: 'production',
    owner: 'group:sales',
    domain: 'sales',
    schema: 'sales_crm',
    inputs: ['resource:crm-customers'],
  },
};
const port = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'OutputPort',
  metadata: { name: 'sales-crm-customers-customers', title: 'customers' },
  spec: {
    dataProduct: 'sales-crm-customers',
    name: 'customers',
    type: 'postgres-table',
    source: 'sources.crm_customers',
    columns: [{ name: 'id', type: 'INTEGER', description: 'The id.' }],
  },
};

describe('registry HTTP API', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_18'] });

  const decommission = jest.fn();

  async function start(options: { knex?: Knex; features?: any[] } = {}) {
    const knex = options.knex ?? (await databases.init('POSTGRES_18'));
    const extraFeatures = options.features ?? [];
    const { server } = await startTestBackend({
      features: [
        ...extraFeatures,
        dataProductsPlugin,
        catalogServiceMock.factory(),
        mockServices.database.factory({ knex }),
        createServiceFactory({
          service: warehouseServiceRef,
          deps: {},
          factory: () => ({ decommission } as unknown as WarehouseService),
        }),
      ],
    });
    return server;
  }

  it('registers, updates, lists and removes a product', async () => {
    const server = await start();
    const url = '/api/data-products/registry/products/sales-crm-customers';

    const dry = await request(server)
      .put(`${url}?dryRun=true`)
      .send({ product, ports: [port] });
    expect(dry.status).toBe(204);
    expect(
      (await request(server).get('/api/data-products/registry/products')).body,
    ).toEqual({ items: [] });

    const created = await request(server)
      .put(url)
      .send({ product, ports: [port] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'provisioned',
      registeredBy: mockCredentials.user().principal.userEntityRef,
    });

    const updated = await request(server)
      .put(url)
      .send({
        product: {
          ...product,
          metadata: { ...product.metadata, title: 'CRM' },
        },
        ports: [port],
      });
    expect(updated.status).toBe(200);

    const list = await request(server).get(
      '/api/data-products/registry/products',
    );
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].product.metadata.title).toBe('CRM');

    expect((await request(server).delete(url)).status).toBe(204);
    expect(decommission).toHaveBeenCalledWith('sales-crm-customers');
    expect((await request(server).get(url)).status).toBe(404);
  });

  it('keeps a product whose decommissioning is refused', async () => {
    const server = await start();
    const url = '/api/data-products/registry/products/sales-crm-customers';
    await request(server)
      .put(url)
      .send({ product, ports: [port] });
    decommission.mockRejectedValueOnce(
      new ConflictError(
        "Data product 'sales-crm-customers' is still read by 'x'",
      ),
    );
    const res = await request(server).delete(url);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('is still read by');
    expect((await request(server).get(url)).status).toBe(200);
  });

  it('answers 400 naming the problem for an invalid product', async () => {
    const server = await start();
    const res = await request(server)
      .put('/api/data-products/registry/products/sales-crm-customers')
      .send({
        product: {
          ...product,
          spec: { ...product.spec, schema: 'Bad Schema' },
        },
        ports: [port],
      });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain('spec.schema');
  });

  it('refuses unauthenticated requests', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/data-products/registry/products')
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(res.status).toBe(401);
  });

  it('refuses writes the permission policy denies, and keeps the product', async () => {
    const knex = await databases.init('POSTGRES_18');
    const url = '/api/data-products/registry/products/sales-crm-customers';
    const allowed = await start({ knex });
    expect(
      (
        await request(allowed)
          .put(url)
          .send({ product, ports: [port] })
      ).status,
    ).toBe(201);

    // A second replica on the same database whose policy denies everything.
    const denied = await start({
      knex,
      features: [
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    decommission.mockClear();
    const put = await request(denied)
      .put(url)
      .send({
        product: { ...product, metadata: { ...product.metadata, title: 'X' } },
        ports: [port],
      });
    expect(put.status).toBe(403);
    expect(put.body.error.message).toBe(
      'You are not allowed to update the data product "sales-crm-customers" (permission dataproduct.registry.update)',
    );
    const del = await request(denied).delete(url);
    expect(del.status).toBe(403);
    expect(del.body.error.message).toContain('dataproduct.registry.delete');
    expect(decommission).not.toHaveBeenCalled();

    const kept = await request(allowed).get(url);
    expect(kept.status).toBe(200);
    expect(kept.body.product.metadata.title).toBe('Sales CRM Customers');
  });
});
