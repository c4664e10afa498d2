/** A column of an operational source table. */
export interface SourceColumn {
  name: string;
  /** The type as declared in `CREATE TABLE`. */
  type: string;
  /** The type as PostgreSQL's `format_type()` reports it. */
  formatType: string;
  primaryKey?: boolean;
  description: string;
}

/** An operational table of the e-commerce scenario, in the `sources` schema. */
export interface SourceTable {
  name: string;
  description: string;
  columns: SourceColumn[];
}

/** The schema holding the operational tables. */
export const SOURCE_SCHEMA = 'sources';

/** The scenario's three operational tables, exactly as the source systems define them. */
export const SOURCE_TABLES: SourceTable[] = [
  {
    name: 'crm_customers',
    description: 'Customers as the CRM system records them.',
    columns: [
      { name: 'id', type: 'INTEGER', formatType: 'integer', primaryKey: true, description: 'Unique identifier for the customer.' },
      { name: 'first_name', type: 'VARCHAR(50)', formatType: 'character varying(50)', description: "The customer's first name." },
      { name: 'last_name', type: 'VARCHAR(50)', formatType: 'character varying(50)', description: "The customer's last name." },
      { name: 'email', type: 'VARCHAR(100)', formatType: 'character varying(100)', description: "The customer's email address." },
      { name: 'signup_date', type: 'DATE', formatType: 'date', description: 'The day the customer signed up.' },
    ],
  },
  {
    name: 'erp_orders',
    description: 'Orders as the ERP system records them.',
    columns: [
      { name: 'order_id', type: 'INTEGER', formatType: 'integer', primaryKey: true, description: 'Unique identifier for the order.' },
      { name: 'customer_id', type: 'INTEGER', formatType: 'integer', description: 'The customer who placed the order (crm_customers.id).' },
      { name: 'order_date', type: 'DATE', formatType: 'date', description: 'The day the order was placed.' },
      { name: 'total_amount', type: 'DECIMAL(10,2)', formatType: 'numeric(10,2)', description: 'The order total in EUR.' },
    ],
  },
  {
    name: 'wms_shipments',
    description: 'Shipments as the warehouse management system records them.',
    columns: [
      { name: 'shipment_id', type: 'INTEGER', formatType: 'integer', primaryKey: true, description: 'Unique identifier for the shipment.' },
      { name: 'order_ref', type: 'INTEGER', formatType: 'integer', description: 'The order this shipment delivers (erp_orders.order_id).' },
      { name: 'shipped_date', type: 'DATE', formatType: 'date', description: 'The day the shipment left the warehouse.' },
      { name: 'delivery_status', type: 'VARCHAR(20)', formatType: 'character varying(20)', description: "Where the shipment is: 'Shipped', 'In Transit' or 'Delivered'." },
    ],
  },
];
