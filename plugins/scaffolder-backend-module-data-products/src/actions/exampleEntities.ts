/**
 * Sales ERP Orders and its port, inline, as the templates write a product for
 * `dataproduct:provision` and `dataproduct:register`.
 */
export const salesErpOrders = {
  product: {
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'sales-erp-orders', title: 'Sales ERP Orders' },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'group:default/sales',
      domain: 'domain:default/sales',
      schema: 'sales_erp',
      inputs: ['resource:default/erp-orders'],
    },
  },
  ports: [
    {
      apiVersion: 'dataproducts.io/v1alpha1',
      kind: 'OutputPort',
      metadata: { name: 'sales-erp-orders-orders', title: 'orders' },
      spec: {
        dataProduct: 'sales-erp-orders',
        name: 'orders',
        type: 'postgres-view',
        access: 'restricted',
        source: 'sources.erp_orders',
        columns: [
          { name: 'order_id', type: 'INTEGER', required: true },
          { name: 'customer_id', type: 'INTEGER' },
          { name: 'order_date', type: 'DATE' },
          { name: 'total_amount', type: 'DECIMAL(10,2)' },
        ],
      },
    },
  ],
};
