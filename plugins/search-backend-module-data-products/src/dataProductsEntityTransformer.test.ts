import { Entity } from '@backstage/catalog-model';
import { defaultCatalogCollatorEntityTransformer } from '@backstage/plugin-search-backend-module-catalog';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createDataProductsEntityTransformer,
  dataProductsEntityTransformer,
} from './dataProductsEntityTransformer';
import { ProductDirectory } from './productDirectory';

const port: Entity = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'OutputPort',
  metadata: {
    name: 'sales-crm-customers-customers',
    title: 'customers',
    description: 'One row per customer.',
  },
  spec: {
    dataProduct: 'sales-crm-customers',
    name: 'customers',
    type: 'postgres-table',
    source: 'sources.crm_customers',
    columns: [
      { name: 'id', type: 'INTEGER', description: 'Unique identifier.' },
      { name: 'email', type: 'VARCHAR(100)', description: 'The address.' },
    ],
  },
};

const product: Entity = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'marketing-customer-360', description: 'Customer 360.' },
  spec: {
    type: 'consumer-aligned',
    lifecycle: 'production',
    owner: 'group:marketing',
    schema: 'marketing_360',
    inputs: ['outputport:sales-crm-customers-customers'],
  },
};

describe('dataProductsEntityTransformer', () => {
  it('puts every column of a port in the document text', () => {
    expect(dataProductsEntityTransformer(port)).toEqual({
      ...defaultCatalogCollatorEntityTransformer(port),
      title: 'customers (sales-crm-customers)',
      kind: 'OutputPort',
      type: 'postgres-table',
      text:
        'Output port customers (postgres-table) of data product sales-crm-customers : ' +
        'One row per customer. : ' +
        'Columns: id INTEGER Unique identifier. ; email VARCHAR(100) The address.',
    });
  });

  it("titles a port's result with its product and leads its text with the product's domain", async () => {
    const directory = new ProductDirectory();
    await directory.refresh(
      catalogServiceMock({
        entities: [
          {
            apiVersion: 'dataproducts.io/v1alpha1',
            kind: 'DataProduct',
            metadata: {
              name: 'sales-crm-customers',
              namespace: 'default',
              title: 'Sales CRM Customers',
            },
            spec: { domain: 'sales' },
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Domain',
            metadata: { name: 'sales', namespace: 'default', title: 'Sales' },
            spec: { owner: 'group:sales' },
          },
        ],
      }),
      mockCredentials.service(),
    );
    const document = createDataProductsEntityTransformer(directory)(port);
    expect(document.title).toBe('customers (Sales CRM Customers)');
    expect(document.text).toMatch(
      /^Output port customers \(postgres-table\) of data product Sales CRM Customers in the Sales domain : One row per customer\./,
    );
  });

  it("puts a product's schema and inputs in the document text", () => {
    expect(dataProductsEntityTransformer(product)).toMatchObject({
      kind: 'DataProduct',
      type: 'consumer-aligned',
      lifecycle: 'production',
      owner: 'group:marketing',
      text:
        'Customer 360. : Data product (consumer-aligned) in schema marketing_360 : ' +
        'Inputs: outputport:sales-crm-customers-customers',
    });
  });

  it('shapes other kinds as by default', () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'crm', description: 'The CRM.' },
      spec: { type: 'service', owner: 'sales', lifecycle: 'production' },
    };
    expect(dataProductsEntityTransformer(component)).toEqual(
      defaultCatalogCollatorEntityTransformer(component),
    );
  });
});
