import type { Entity } from '@backstage/catalog-model';
import {
  documentedColumns,
  sourceReferenceFor,
  suggestSchemaName,
} from './sourceColumns';

const resource = (description?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'crm-customers', description },
  spec: { type: 'postgres-table', system: 'crm' },
});

describe('documentedColumns', () => {
  it('reads the column table of a source Resource', () => {
    const entity = resource(`Customers as the CRM records them.

| column | type | description |
| --- | --- | --- |
| id | INTEGER (primary key) | Unique identifier for the customer. |
| email | VARCHAR(100) | The customer's email address. |
| total_amount | DECIMAL(10,2) | The order total in EUR. |
`);
    expect(documentedColumns(entity)).toEqual([
      {
        name: 'id',
        type: 'INTEGER',
        description: 'Unique identifier for the customer.',
        primaryKey: true,
      },
      {
        name: 'email',
        type: 'VARCHAR(100)',
        description: "The customer's email address.",
      },
      {
        name: 'total_amount',
        type: 'DECIMAL(10,2)',
        description: 'The order total in EUR.',
      },
    ]);
  });

  it('finds nothing without a column table', () => {
    expect(documentedColumns(resource('Just words.'))).toEqual([]);
    expect(documentedColumns(resource())).toEqual([]);
    expect(
      documentedColumns(resource('| a | b |\n| - | - |\n| x | y |')),
    ).toEqual([]);
  });
});

describe('suggestSchemaName', () => {
  it('joins the domain and the system', () => {
    expect(suggestSchemaName('domain:default/sales', 'crm')).toBe('sales_crm');
    expect(suggestSchemaName('logistics', 'system:default/wms')).toBe(
      'logistics_wms',
    );
    expect(suggestSchemaName('domain:default/sales', undefined)).toBe('sales');
    expect(suggestSchemaName('domain:default/data-platform', 'x')).toBe(
      'data_platform_x',
    );
    expect(suggestSchemaName(undefined, undefined)).toBeUndefined();
  });
});

describe('sourceReferenceFor', () => {
  it('writes the source() reference of an output port', () => {
    expect(
      sourceReferenceFor({
        apiVersion: 'dataproducts.io/v1alpha1',
        kind: 'OutputPort',
        metadata: { name: 'sales-crm-customers-customers' },
        spec: { dataProduct: 'sales-crm-customers', name: 'customers' },
      }),
    ).toBe("{{ source('sales_crm_customers', 'customers') }}");
  });
});
