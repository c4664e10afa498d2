import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';

const API_VERSION = 'dataproducts.io/v1alpha1';

const group = (name: string, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: DEFAULT_NAMESPACE, title },
  spec: { type: 'team', children: [] },
});

const product = (name: string, title: string, owner: string): Entity => ({
  apiVersion: API_VERSION,
  kind: 'DataProduct',
  metadata: {
    name,
    namespace: DEFAULT_NAMESPACE,
    title,
    description: `${title}, the product.`,
  },
  spec: { type: 'source-aligned', owner, schema: name.replace(/-/g, '_') },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

const port = (
  productName: string,
  name: string,
  description: string,
  columns: Array<[string, string]>,
): Entity => ({
  apiVersion: API_VERSION,
  kind: 'OutputPort',
  metadata: {
    name: `${productName}-${name}`,
    namespace: DEFAULT_NAMESPACE,
    title: name,
    description,
  },
  spec: {
    dataProduct: productName,
    name,
    type: 'postgres-table',
    access: 'restricted',
    columns: columns.map(([column, type]) => ({ name: column, type })),
  },
  relations: [{ type: 'partOf', targetRef: `dataproduct:default/${product}` }],
});

/** The demo's three source-aligned products, their ports and owners, as the compose form reads them. */
export const composeEntities: Entity[] = [
  group('sales', 'Sales'),
  group('logistics', 'Logistics'),
  product('sales-crm-customers', 'Sales CRM Customers', 'group:default/sales'),
  port('sales-crm-customers', 'customers', 'One row per customer.', [
    ['id', 'INTEGER'],
    ['first_name', 'VARCHAR(50)'],
  ]),
  product('sales-erp-orders', 'Sales ERP Orders', 'group:default/sales'),
  port('sales-erp-orders', 'orders', 'Real-time orders.', [
    ['order_id', 'INTEGER'],
    ['total_amount', 'DECIMAL(10,2)'],
  ]),
  product(
    'logistics-wms-shipments',
    'Logistics WMS Shipments',
    'group:default/logistics',
  ),
  port('logistics-wms-shipments', 'shipments', 'Every shipment.', [
    ['shipment_id', 'INTEGER'],
    ['delivery_status', 'VARCHAR(20)'],
  ]),
];
