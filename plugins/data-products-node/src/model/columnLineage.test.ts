import { columnLineage, ModelColumnLineage } from './columnLineage';
import {
  demoInputColumns,
  LINEAGE_CORPUS,
} from './__testUtils__/lineageCorpus';
import {
  check,
  demoModels,
  resolveDemoInput,
  useModelParser,
} from './__testUtils__/demoModels';
import { checkModel } from './checkModel';

useModelParser();

/** `{ column: ['customers.id IDENTITY', 'orders.customer_id JOIN', …] }`, sorted. */
function compact(result: ModelColumnLineage): Record<string, string[]> {
  return Object.fromEntries(
    result.columns.map(column => [
      column.name,
      column.inputFields
        .flatMap(field =>
          field.transformations.map(
            t => `${field.relation.name}.${field.field} ${t.subtype}`,
          ),
        )
        .sort(),
    ]),
  );
}

function lineage(model: string): Record<string, string[]> {
  return compact(columnLineage(check(model).tree, demoInputColumns));
}

describe('columnLineage', () => {
  it("derives the demo's customer_activity column by column", () => {
    const [demo] = demoModels();
    const checked = checkModel(demo.model, {
      portName: demo.portName,
      inputs: demo.inputs,
      resolve: resolveDemoInput,
    });
    const result = columnLineage(checked.tree, demoInputColumns);
    const joins = [
      'customers.id JOIN',
      'orders.customer_id JOIN',
      'orders.order_id JOIN',
      'shipments.order_ref GROUP_BY',
      'shipments.order_ref JOIN',
      'shipments.order_ref SORT',
      'shipments.shipment_id SORT',
      'shipments.shipped_date SORT',
    ];
    const direct = (...fields: string[]) => [...fields, ...joins].sort();
    expect(compact(result)).toEqual({
      customer_id: direct('customers.id IDENTITY'),
      customer_name: direct(
        'customers.first_name TRANSFORMATION',
        'customers.last_name TRANSFORMATION',
      ),
      customer_email: direct('customers.email IDENTITY'),
      account_age_days: direct('customers.signup_date TRANSFORMATION'),
      order_id: direct('orders.order_id IDENTITY'),
      order_total: direct('orders.total_amount IDENTITY'),
      days_from_order_to_ship: direct(
        'orders.order_date TRANSFORMATION',
        'shipments.shipped_date TRANSFORMATION',
      ),
      delivery_status: direct('shipments.delivery_status IDENTITY'),
    });
    expect(result.dataset.map(f => `${f.relation.schema}.${f.relation.name}.${f.field}`)).toEqual([
      'logistics_wms.shipments.order_ref',
      'logistics_wms.shipments.shipment_id',
      'logistics_wms.shipments.shipped_date',
      'sales_crm.customers.id',
      'sales_erp.orders.customer_id',
      'sales_erp.orders.order_id',
    ]);
  });

  it.each(LINEAGE_CORPUS)('%s', (_shape, model, expected) => {
    expect(lineage(model)).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([name, fields]) => [name, [...fields].sort()]),
      ),
    );
  });

  it('has a corpus of more than 30 shapes', () => {
    expect(LINEAGE_CORPUS.length).toBeGreaterThan(30);
  });
});
