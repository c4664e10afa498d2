SELECT
  c.id AS customer_id,
  (c.first_name || ' ' || c.last_name)::VARCHAR(101) AS customer_name,
  c.email AS customer_email,
  (CURRENT_DATE - c.signup_date)::INTEGER AS account_age_days,
  o.order_id,
  o.total_amount AS order_total,
  (s.shipped_date - o.order_date)::INTEGER AS days_from_order_to_ship,
  s.delivery_status
FROM {{ source('sales_crm_customers', 'customers') }} AS c
LEFT JOIN {{ source('sales_erp_orders', 'orders') }} AS o
  ON o.customer_id = c.id
LEFT JOIN (
  SELECT DISTINCT ON (sh.order_ref) sh.order_ref, sh.shipped_date, sh.delivery_status
  FROM {{ source('logistics_wms_shipments', 'shipments') }} AS sh
  ORDER BY sh.order_ref, sh.shipped_date DESC, sh.shipment_id DESC
) AS s ON s.order_ref = o.order_id
