import type {
  DataProductEntityV1alpha1,
  OutputPortEntityV1alpha1,
} from '@dataproducts/plugin-data-products-common';
import {
  editTemplateUrl,
  formDataFor,
  planRequestFrom,
  templateOf,
} from './editForm';

const product = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'DataProduct',
  metadata: {
    name: 'marketing-customer-360',
    title: 'Marketing Customer 360',
    description: 'Customer activity.',
  },
  spec: {
    type: 'consumer-aligned',
    lifecycle: 'production',
    owner: 'group:marketing',
    domain: 'marketing',
    schema: 'marketing_360',
    inputs: ['outputport:sales-erp-orders-orders'],
  },
} as DataProductEntityV1alpha1;

const port = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'OutputPort',
  metadata: { name: 'marketing-customer-360-customer-activity' },
  spec: {
    dataProduct: 'marketing-customer-360',
    name: 'customer_activity',
    type: 'postgres-table',
    model: 'SELECT 1 AS customer_id',
    columns: [{ name: 'customer_id', type: 'INTEGER', required: true }],
  },
} as OutputPortEntityV1alpha1;

describe('editing a product with its template', () => {
  it('pre-fills the template the product was made with from the product and its port', () => {
    expect(templateOf(product)).toBe('compose-data-product');
    expect(
      templateOf({
        ...product,
        spec: { ...product.spec, type: 'source-aligned' },
      }),
    ).toBe('expose-source-table');
    const values = formDataFor(product, port);
    expect(values).toEqual({
      title: 'Marketing Customer 360',
      description: 'Customer activity.',
      owner: 'group:default/marketing',
      domain: 'domain:default/marketing',
      lifecycle: 'production',
      schema: 'marketing_360',
      portName: 'customer_activity',
      portType: 'postgres-table',
      portVersion: '1.0.0',
      columns: [{ name: 'customer_id', type: 'INTEGER', required: true }],
      inputs: ['outputport:default/sales-erp-orders-orders'],
      model: 'SELECT 1 AS customer_id',
    });
    const url = new URL(editTemplateUrl(product, port), 'http://portal');
    expect(url.pathname).toBe('/create/templates/default/compose-data-product');
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual(values);
  });

  it('turns the form back into the product the template provisions', () => {
    const request = planRequestFrom(formDataFor(product, port))!;
    expect(request.product.metadata.name).toBe('marketing-customer-360');
    expect(request.product.spec).toMatchObject({
      owner: 'group:default/marketing',
      domain: 'marketing',
      schema: 'marketing_360',
      inputs: ['outputport:default/sales-erp-orders-orders'],
    });
    expect(request.ports[0]).toMatchObject({
      metadata: { name: 'marketing-customer-360-customer-activity' },
      spec: {
        name: 'customer_activity',
        model: 'SELECT 1 AS customer_id',
        version: '1.0.0',
        columns: port.spec.columns,
      },
    });
    expect(planRequestFrom({ title: 'x' })).toBeUndefined();
  });
});
