import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import {
  createTestWarehouse,
  createWarehouseTestDatabases,
} from '@dataproducts/plugin-data-products-node/testUtils';
import { allowEverything, demoEntities } from '../__testUtils__/warehouse';
import { createProvisionAction } from './provision';
import { createCatalogProductResolver } from '@dataproducts/plugin-data-products-node';

jest.setTimeout(120_000);

const credentials = mockCredentials.user();

/** A product reading the CRM customers port, its input written without a kind. */
const emailList: DataProductEntityV1alpha1 = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'marketing-email-list', namespace: 'default' },
  spec: {
    type: 'consumer-aligned',
    lifecycle: 'experimental',
    owner: 'group:marketing',
    domain: 'marketing',
    schema: 'marketing_emails',
    inputs: ['sales-crm-customers-customers'],
  },
};

const emailListPort: OutputPortEntityV1alpha1 = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'OutputPort',
  metadata: { name: 'marketing-email-list-emails', namespace: 'default' },
  spec: {
    dataProduct: 'marketing-email-list',
    name: 'emails',
    type: 'postgres-view',
    model:
      "SELECT id AS customer_id, email FROM {{ source('sales_crm_customers', 'customers') }}",
    columns: [
      { name: 'customer_id', type: 'INTEGER' },
      { name: 'email', type: 'VARCHAR(100)' },
    ],
  },
};

function port(
  name: string,
  dataProduct: string,
  namespace = 'default',
): OutputPortEntityV1alpha1 {
  return {
    ...emailListPort,
    metadata: { name, namespace },
    spec: { ...emailListPort.spec, dataProduct, name: name.replace(/-/g, '_') },
  };
}

function resolverOf(entities: Entity[]) {
  return createCatalogProductResolver(catalogServiceMock({ entities }));
}

describe('createCatalogProductResolver', () => {
  describe('loadProduct', () => {
    it("finds the product's ports however they spell the product ref", async () => {
      const resolver = resolverOf([
        emailList,
        port('bare', 'marketing-email-list'),
        port('kind', 'dataproduct:marketing-email-list'),
        port('full', 'DataProduct:default/marketing-email-list'),
        port('other-namespace', 'marketing-email-list', 'team-a'),
        port('other-product', 'sales-crm-customers'),
      ]);
      const { product, ports } = await resolver.loadProduct(
        'marketing-email-list',
        credentials,
      );
      expect(product.metadata.name).toBe('marketing-email-list');
      expect(ports.map(p => p.metadata.name).sort()).toEqual([
        'bare',
        'full',
        'kind',
      ]);
    });

    it('refuses a ref to another kind and reports a product the catalog does not have', async () => {
      const resolver = resolverOf([emailList]);
      await expect(
        resolver.loadProduct('component:marketing-email-list', credentials),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          'Expected a DataProduct entity ref, got \'component:marketing-email-list\': Entity reference "component:marketing-email-list" must point to DataProduct, not component',
      });
      await expect(
        resolver.loadProduct('dataproduct:default/nope', credentials),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message:
          "Data product 'dataproduct:default/nope' was not found in the catalog",
      });
    });
  });

  describe('resolveInputs', () => {
    it('resolves inputs written with or without a kind, and skips source Resources', async () => {
      const resolver = resolverOf(demoEntities);
      const product = {
        ...emailList,
        spec: {
          ...emailList.spec,
          inputs: [
            'sales-crm-customers-customers',
            'outputport:default/sales-erp-orders-orders',
            'resource:crm-customers',
          ],
        },
      };
      await expect(
        resolver.resolveInputs(product, credentials),
      ).resolves.toEqual([
        {
          ref: 'sales-crm-customers-customers',
          product: 'sales-crm-customers',
          port: 'customers',
        },
        {
          ref: 'outputport:default/sales-erp-orders-orders',
          product: 'sales-erp-orders',
          port: 'orders',
        },
      ]);
    });

    it('names an input the catalog does not have, or one of another kind', async () => {
      const resolver = resolverOf(demoEntities);
      const withInputs = (inputs: string[]) => ({
        ...emailList,
        spec: { ...emailList.spec, inputs },
      });
      await expect(
        resolver.resolveInputs(withInputs(['sales-crm-contacts']), credentials),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          "Input 'sales-crm-contacts' of data product 'marketing-email-list' was not found in the catalog",
      });
      await expect(
        resolver.resolveInputs(withInputs(['component:crm']), credentials),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          'Entity reference "component:crm" must point to OutputPort or Resource',
        ),
      });
    });
  });
});

describe('a product whose input is written without a kind, provisioned', () => {
  const databases = createWarehouseTestDatabases();

  it('gets a real grant on the port and is listed among its consumers', async () => {
    const { knex, engine, cleanup } = await createTestWarehouse(databases, {
      customers: 50,
    });
    try {
      const catalog = [...demoEntities, emailList, emailListPort];
      const provision = createProvisionAction({
        warehouse: engine,
        resolver: resolverOf(catalog),
        authorization: allowEverything(engine),
      });
      for (const entityRef of [
        'dataproduct:default/sales-crm-customers',
        'dataproduct:default/marketing-email-list',
      ]) {
        await provision.handler(
          createMockActionContext({ input: { entityRef } }),
        );
      }

      // The consumer's role (the owner of its schema) is a member of a role
      // that may read the CRM customers table: the grant is real.
      const { rows: grants } = await knex.raw(
        `SELECT r.rolname FROM pg_catalog.pg_auth_members m
           JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
          WHERE m.member = (SELECT nspowner FROM pg_catalog.pg_namespace
                             WHERE nspname = 'marketing_emails')
            AND has_table_privilege(r.oid, 'sales_crm.customers', 'SELECT')`,
      );
      expect(grants).toHaveLength(1);
      const { rows } = await knex.raw(
        'SELECT count(*)::int AS n FROM marketing_emails.emails',
      );
      expect(rows[0].n).toBe(50);

      const crm = demoEntities.find(
        e => e.metadata.name === 'sales-crm-customers',
      ) as DataProductEntityV1alpha1;
      const crmPorts = demoEntities.filter(
        e => e.spec?.dataProduct === 'sales-crm-customers',
      ) as OutputPortEntityV1alpha1[];
      const status = await engine.inspect(crm, crmPorts);
      expect(status.consumers).toContain('marketing-email-list');
    } finally {
      await cleanup();
    }
  });
});
