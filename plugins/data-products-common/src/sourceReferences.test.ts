import fs from 'node:fs';
import path from 'node:path';
import {
  compileModel,
  normalizeProductName,
  parseSourceReferences,
  productNamesMatch,
} from './sourceReferences';

describe('parseSourceReferences', () => {
  it('finds references with their product, port and offsets', () => {
    const sql =
      "SELECT * FROM {{ source('sales_crm_customers', 'customers') }} c\n" +
      'JOIN {{ source("sales-erp-orders", "orders") }} o ON o.customer_id = c.id';
    const refs = parseSourceReferences(sql);
    expect(refs).toEqual([
      {
        productAsWritten: 'sales_crm_customers',
        product: 'sales-crm-customers',
        port: 'customers',
        text: "{{ source('sales_crm_customers', 'customers') }}",
        start: 14,
        end: 62,
      },
      expect.objectContaining({
        productAsWritten: 'sales-erp-orders',
        product: 'sales-erp-orders',
        port: 'orders',
      }),
    ]);
    for (const ref of refs) {
      expect(sql.slice(ref.start, ref.end)).toBe(ref.text);
    }
  });

  it.each([
    "{{source('a_b','p')}}",
    "{{ source( 'a_b' , 'p' ) }}",
    '{{ source("a_b", "p") }}',
    '{{ source(\'a_b\', "p") }}',
    "{{-  source('a_b','p')  -}}",
    "{{\n  source(\n    'a_b',\n    'p'\n  )\n}}",
    "{{ source('a_b', 'p',) }}",
  ])('accepts the dbt variant %j', text => {
    const [ref] = parseSourceReferences(`select * from ${text}`);
    expect(ref).toMatchObject({ product: 'a-b', port: 'p', text, start: 14 });
  });

  it('returns nothing for plain SQL', () => {
    expect(
      parseSourceReferences('SELECT 1 FROM sources.crm_customers'),
    ).toEqual([]);
  });

  it.each([
    ["{{ source('only_product') }}", /Malformed source reference/],
    ["{{ source(a, 'p') }}", /Malformed source reference/],
    ["{{ source('', 'p') }}", /must not be empty/],
    ["{{ source('a', 'p' }}", /Malformed source reference/],
    ["{{ ref('orders') }}", /Unsupported template expression/],
  ])('rejects %j', (text, message) => {
    expect(() => parseSourceReferences(`select * from ${text}`)).toThrow(
      message,
    );
    expect(() => parseSourceReferences(`select * from ${text}`)).toThrow(
      expect.objectContaining({ name: 'SourceReferenceError', offset: 14 }),
    );
  });
});

describe('product names', () => {
  it('treats _ and - as the same and ignores case', () => {
    expect(normalizeProductName('Sales_CRM_customers')).toBe(
      'sales-crm-customers',
    );
    expect(
      productNamesMatch('sales_crm_customers', 'sales-crm-customers'),
    ).toBe(true);
    expect(productNamesMatch('sales_crm', 'sales-crm-customers')).toBe(false);
  });
});

describe('compileModel', () => {
  const schemas: Record<string, string> = {
    'sales-crm-customers': 'sales_crm',
    'sales-erp-orders': 'sales_erp',
  };
  const resolve = (ref: { product: string; port: string }) =>
    schemas[ref.product]
      ? `"${schemas[ref.product]}"."${ref.port}"`
      : undefined;

  it('replaces every reference with the resolved relation', () => {
    const sql =
      "SELECT c.id FROM {{ source('sales_crm_customers','customers') }} c " +
      "JOIN {{ source('sales-erp-orders', 'orders') }} o ON true -- done";
    expect(compileModel(sql, resolve)).toBe(
      'SELECT c.id FROM "sales_crm"."customers" c JOIN "sales_erp"."orders" o ON true -- done',
    );
  });

  it('leaves SQL without references unchanged', () => {
    expect(compileModel('SELECT 1', resolve)).toBe('SELECT 1');
  });

  it('names an unknown reference', () => {
    expect(() =>
      compileModel("SELECT * FROM {{ source('marketing_360', 'x') }}", resolve),
    ).toThrow(
      "Unknown source reference source('marketing_360', 'x') at offset 14: no declared input is port 'x' of data product 'marketing-360'",
    );
  });
});

describe('the scenario model', () => {
  it('references the three source-aligned ports as written in the scenario', () => {
    const sql = fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../fixtures/customer-activity-original.sql',
      ),
      'utf8',
    );
    expect(
      parseSourceReferences(sql).map(r => `${r.product}/${r.port}`),
    ).toEqual([
      'sales-crm-customers/customers',
      'sales-erp-orders/orders',
      'logistics-wms-shipments/shipments',
    ]);
  });
});
