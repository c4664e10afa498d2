import { DEFAULT_NAMESPACE, type Entity } from '@backstage/catalog-model';
import type {
  DataProductStatus,
  Lineage,
} from '@dataproducts/plugin-data-products-common';

const API_VERSION = 'dataproducts.io/v1alpha1';

function product(
  name: string,
  title: string,
  spec: Record<string, unknown>,
  relations: Array<[string, string]>,
): Entity {
  return {
    apiVersion: API_VERSION,
    kind: 'DataProduct',
    metadata: { name, namespace: DEFAULT_NAMESPACE, title },
    spec: { lifecycle: 'production', ...spec },
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

function port(
  name: string,
  spec: Record<string, unknown>,
  relations: Array<[string, string]>,
): Entity {
  return {
    apiVersion: API_VERSION,
    kind: 'OutputPort',
    metadata: { name, namespace: DEFAULT_NAMESPACE, title: String(spec.name) },
    spec: {
      type: 'postgres-table',
      access: 'restricted',
      columns: [],
      ...spec,
    },
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
}

/** The eight declared columns of Marketing Customer 360's port. */
export const customerActivityColumns = [
  {
    name: 'customer_id',
    type: 'INTEGER',
    description: 'Unique identifier for the customer.',
    required: true,
  },
  {
    name: 'customer_name',
    type: 'VARCHAR(101)',
    description: "The customer's full name (first and last).",
  },
  {
    name: 'customer_email',
    type: 'VARCHAR(100)',
    description: "The customer's email address.",
  },
  {
    name: 'account_age_days',
    type: 'INTEGER',
    description: 'Days since the customer signed up.',
  },
  {
    name: 'order_id',
    type: 'INTEGER',
    description: 'The order; empty for customers who never ordered.',
  },
  {
    name: 'order_total',
    type: 'DECIMAL(10,2)',
    description: 'The order total in EUR.',
  },
  {
    name: 'days_from_order_to_ship',
    type: 'INTEGER',
    description: 'Days from the order to its shipment.',
  },
  {
    name: 'delivery_status',
    type: 'VARCHAR(20)',
    description: 'The latest delivery status.',
  },
];

export const marketing360 = product(
  'marketing-customer-360',
  'Marketing Customer 360',
  {
    type: 'consumer-aligned',
    owner: 'group:marketing',
    domain: 'marketing',
    schema: 'marketing_360',
    inputs: [
      'outputport:sales-crm-customers-customers',
      'outputport:sales-erp-orders-orders',
    ],
  },
  [
    ['ownedBy', 'group:default/marketing'],
    ['dependsOn', 'outputport:default/sales-crm-customers-customers'],
    ['dependsOn', 'outputport:default/sales-erp-orders-orders'],
    ['hasPart', 'outputport:default/marketing-customer-360-customer-activity'],
  ],
);

export const customerActivity = port(
  'marketing-customer-360-customer-activity',
  {
    dataProduct: 'marketing-customer-360',
    name: 'customer_activity',
    columns: customerActivityColumns,
    model:
      "SELECT c.id AS customer_id\nFROM {{ source('sales_crm_customers', 'customers') }} AS c\nLEFT JOIN {{ source('sales_erp_orders', 'orders') }} AS o ON o.customer_id = c.id\nLEFT JOIN {{ source('logistics_wms_shipments', 'shipments') }} AS s ON TRUE",
  },
  [['partOf', 'dataproduct:default/marketing-customer-360']],
);

export const crmCustomers = product(
  'sales-crm-customers',
  'Sales CRM Customers',
  {
    type: 'source-aligned',
    owner: 'group:sales',
    domain: 'sales',
    schema: 'sales_crm',
    inputs: ['resource:crm-customers'],
  },
  [
    ['ownedBy', 'group:default/sales'],
    ['dependsOn', 'resource:default/crm-customers'],
    ['hasPart', 'outputport:default/sales-crm-customers-customers'],
  ],
);

export const crmCustomersPort = port(
  'sales-crm-customers-customers',
  { dataProduct: 'sales-crm-customers', name: 'customers' },
  [
    ['partOf', 'dataproduct:default/sales-crm-customers'],
    ['dependencyOf', 'dataproduct:default/marketing-customer-360'],
  ],
);

export const erpOrders = product(
  'sales-erp-orders',
  'Sales ERP Orders',
  {
    type: 'source-aligned',
    owner: 'group:sales',
    domain: 'sales',
    schema: 'sales_erp',
  },
  [
    ['ownedBy', 'group:default/sales'],
    ['hasPart', 'outputport:default/sales-erp-orders-orders'],
  ],
);

export const erpOrdersPort = port(
  'sales-erp-orders-orders',
  { dataProduct: 'sales-erp-orders', name: 'orders', type: 'postgres-view' },
  [
    ['partOf', 'dataproduct:default/sales-erp-orders'],
    ['dependencyOf', 'dataproduct:default/marketing-customer-360'],
  ],
);

export const crmCustomersResource: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'crm-customers',
    namespace: DEFAULT_NAMESPACE,
    title: 'sources.crm_customers',
  },
  spec: { type: 'postgres-table', owner: 'group:sales' },
  relations: [
    {
      type: 'dependencyOf',
      targetRef: 'dataproduct:default/sales-crm-customers',
    },
  ],
};

/** Every fixture entity, for a catalog mock. */
export const allEntities = [
  marketing360,
  customerActivity,
  crmCustomers,
  crmCustomersPort,
  erpOrders,
  erpOrdersPort,
  crmCustomersResource,
];

/** A provisioned Marketing Customer 360 with 1,234 rows and no drift. */
export const provisionedStatus: DataProductStatus = {
  product: 'marketing-customer-360',
  schema: 'marketing_360',
  provisioned: true,
  consumers: [],
  ports: [
    {
      name: 'customer_activity',
      object: 'marketing_360.customer_activity',
      type: 'postgres-table',
      exists: true,
      rowCount: 1234,
      lastBuiltAt: '2026-11-25T10:00:00.000Z',
      columns: customerActivityColumns.map(c => ({
        name: c.name,
        type: c.type.toLocaleLowerCase('en-US'),
        nullable: !c.required,
        description: c.description,
      })),
      drift: [],
    },
  ],
};

/** Marketing Customer 360 before its first provisioning. */
export const unprovisionedStatus: DataProductStatus = {
  product: 'marketing-customer-360',
  schema: 'marketing_360',
  provisioned: false,
  consumers: [],
  ports: [
    {
      name: 'customer_activity',
      object: 'marketing_360.customer_activity',
      type: 'postgres-table',
      exists: false,
      columns: [],
      drift: [],
    },
  ],
};

/** The lineage of Marketing Customer 360 back to one source table. */
export const marketingLineage: Lineage = {
  root: 'dataproduct:default/marketing-customer-360',
  truncated: false,
  nodes: [
    {
      id: 'resource:default/crm-customers',
      kind: 'Resource',
      namespace: DEFAULT_NAMESPACE,
      name: 'crm-customers',
      title: 'sources.crm_customers',
      type: 'postgres-table',
      distance: -2,
    },
    {
      id: 'dataproduct:default/sales-crm-customers',
      kind: 'DataProduct',
      namespace: DEFAULT_NAMESPACE,
      name: 'sales-crm-customers',
      title: 'Sales CRM Customers',
      type: 'source-aligned',
      distance: -1,
    },
    {
      id: 'outputport:default/sales-crm-customers-customers',
      kind: 'OutputPort',
      namespace: DEFAULT_NAMESPACE,
      name: 'sales-crm-customers-customers',
      title: 'customers',
      type: 'postgres-table',
      distance: -1,
    },
    {
      id: 'dataproduct:default/marketing-customer-360',
      kind: 'DataProduct',
      namespace: DEFAULT_NAMESPACE,
      name: 'marketing-customer-360',
      title: 'Marketing Customer 360',
      type: 'consumer-aligned',
      distance: 0,
    },
  ],
  edges: [
    {
      source: 'resource:default/crm-customers',
      target: 'dataproduct:default/sales-crm-customers',
      type: 'feeds',
    },
    {
      source: 'dataproduct:default/sales-crm-customers',
      target: 'outputport:default/sales-crm-customers-customers',
      type: 'exposes',
    },
    {
      source: 'outputport:default/sales-crm-customers-customers',
      target: 'dataproduct:default/marketing-customer-360',
      type: 'feeds',
    },
  ],
};
