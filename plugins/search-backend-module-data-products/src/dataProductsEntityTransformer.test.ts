import { Entity } from '@backstage/catalog-model';
import { defaultCatalogCollatorEntityTransformer } from '@backstage/plugin-search-backend-module-catalog';
import { dataProductsEntityTransformer } from './dataProductsEntityTransformer';

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
      title: 'customers',
      kind: 'OutputPort',
      type: 'postgres-table',
      text:
        'One row per customer. : ' +
        'Output port customers (postgres-table) of data product sales-crm-customers : ' +
        'Columns: id INTEGER Unique identifier. ; email VARCHAR(100) The address.',
    });
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
