import type { DataProductEntityV1alpha1 } from '../DataProductEntityV1alpha1';
import type { OutputPortEntityV1alpha1 } from '../OutputPortEntityV1alpha1';
import { fromOdcsContract } from './fromOdcsContract';
import { toOdcsContract, type OdcsExportContext } from './toOdcsContract';
import { validateOdcsContract } from './validateOdcsContract';

const product: DataProductEntityV1alpha1 = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'DataProduct',
  metadata: {
    name: 'logistics-deliveries',
    title: 'Logistics Deliveries',
    description: 'How fast orders reach customers.',
  },
  spec: {
    type: 'aggregate',
    lifecycle: 'deprecated',
    deprecation: {
      sunset: '2027-03-31',
      replacement: 'logistics-deliveries-v2',
      reason: 'Carriers are reported per parcel now.',
    },
    owner: 'group:logistics',
    domain: 'logistics',
    schema: 'logistics_deliveries',
    inputs: ['outputport:logistics-wms-shipments-shipments'],
  },
};

const port: OutputPortEntityV1alpha1 = {
  apiVersion: 'dataproducts.io/v1alpha1',
  kind: 'OutputPort',
  metadata: {
    name: 'logistics-deliveries-deliveries',
    title: 'Deliveries',
    description: 'One row per shipment with its delivery time.',
    tags: ['logistics'],
  },
  spec: {
    dataProduct: 'logistics-deliveries',
    name: 'deliveries',
    type: 'postgres-table',
    version: '2.1.0',
    access: 'public',
    refreshStrategy: 'delete-insert',
    refresh: {
      schedule: { every: 'PT90M' },
      freshness: { maxAge: 'P1D' },
    },
    model:
      "SELECT shipment_id, shipped_date, delivery_status FROM {{ source('logistics_wms_shipments', 'shipments') }}",
    columns: [
      {
        name: 'shipment_id',
        type: 'INTEGER',
        description: 'The shipment.',
        required: true,
        unique: true,
        primaryKey: true,
      },
      { name: 'shipped_date', type: 'DATE', classification: 'internal' },
      { name: 'delivery_status', type: 'VARCHAR(20)', required: false },
      { name: 'recipient_email', type: 'TEXT', classification: 'pii' },
    ],
    quality: [
      { name: 'not_empty', metric: 'rowCount', mustBeGreaterThan: 0 },
      {
        metric: 'invalidValues',
        column: 'delivery_status',
        arguments: { validValues: ['Shipped', 'In Transit', 'Delivered'] },
        mustBe: 0,
        severity: 'warning',
      },
      {
        metric: 'nullValues',
        column: 'shipped_date',
        unit: 'percent',
        mustBeLessThan: 5,
      },
      {
        name: 'recent',
        metric: 'freshness',
        column: 'shipped_date',
        mustBeLessOrEqualTo: 172800,
      },
      {
        type: 'sql',
        query: 'SELECT COUNT(*) FROM {{ this }} WHERE shipment_id < 0',
        mustBe: 0,
      },
    ],
  },
};

const context: OdcsExportContext = {
  server: {
    name: 'warehouse',
    host: 'warehouse.example.com',
    port: 5432,
    database: 'dataproducts_warehouse',
  },
  readers: [
    { role: 'dp_marketing_360', product: 'marketing-customer-360' },
    { role: 'dp_grp_default_finance', group: 'group:default/finance' },
  ],
};

describe('toOdcsContract', () => {
  const contract = toOdcsContract(port, product, context);

  it('is valid against our ODCS v3.1.0 schema', () => {
    expect(validateOdcsContract(contract)).toEqual([]);
  });

  it('carries fundamentals, schema, quality, team, roles, servers and SLAs', () => {
    expect(contract).toMatchObject({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'outputport:default/logistics-deliveries-deliveries',
      version: '2.1.0',
      status: 'deprecated',
      domain: 'logistics',
      dataProduct: 'logistics-deliveries',
      team: { name: 'logistics' },
      roles: [
        {
          role: 'dp_marketing_360',
          access: 'read',
          description: 'Held by data product marketing-customer-360',
        },
        { role: 'dp_grp_default_finance', access: 'read' },
      ],
      servers: [
        {
          server: 'warehouse',
          type: 'postgres',
          host: 'warehouse.example.com',
          port: 5432,
          database: 'dataproducts_warehouse',
          schema: 'logistics_deliveries',
        },
      ],
      slaProperties: [
        {
          property: 'frequency',
          value: 90,
          unit: 'min',
          element: 'deliveries',
        },
        { property: 'latency', value: 1, unit: 'd', element: 'deliveries' },
        { property: 'endOfLife', value: '2027-03-31' },
      ],
    });
    const [object] = contract.schema!;
    expect(object).toMatchObject({
      name: 'deliveries',
      physicalType: 'table',
      logicalType: 'object',
    });
    expect(object.properties![0]).toEqual({
      name: 'shipment_id',
      physicalType: 'INTEGER',
      logicalType: 'integer',
      description: 'The shipment.',
      required: true,
      unique: true,
      primaryKey: true,
      primaryKeyPosition: 1,
    });
    expect(object.properties![1].quality).toEqual([
      {
        metric: 'nullValues',
        dimension: 'completeness',
        unit: 'percent',
        mustBeLessThan: 5,
      },
      expect.objectContaining({
        name: 'recent',
        type: 'sql',
        dimension: 'timeliness',
        customProperties: [{ property: 'metric', value: 'freshness' }],
      }),
    ]);
    expect(object.quality).toEqual([
      {
        name: 'not_empty',
        metric: 'rowCount',
        dimension: 'completeness',
        mustBeGreaterThan: 0,
      },
      {
        type: 'sql',
        query: 'SELECT COUNT(*) FROM {object} WHERE shipment_id < 0',
        mustBe: 0,
      },
    ]);
  });

  it('never carries a password', () => {
    expect(JSON.stringify(contract)).not.toMatch(/password/i);
  });
});

describe('export → import → export', () => {
  it('gives the same document, and the same definitions back', () => {
    const first = toOdcsContract(port, product, context);
    const imported = fromOdcsContract(JSON.parse(JSON.stringify(first)));
    const second = toOdcsContract(imported.port, imported.product, context);
    expect(second).toEqual(first);
    expect(imported.product).toEqual(product);
    expect(imported.port.spec.columns).toEqual(port.spec.columns);
    expect(imported.port.spec.refresh).toEqual(port.spec.refresh);
    expect(imported.port.spec.quality).toEqual(
      expect.arrayContaining(port.spec.quality!),
    );
    expect(imported.ignored).toEqual([
      'roles: access is granted through access requests in the portal, not imported',
    ]);
  });

  it('keeps a cron schedule and a view port', () => {
    const view: OutputPortEntityV1alpha1 = {
      ...port,
      spec: {
        ...port.spec,
        type: 'postgres-view',
        refresh: undefined,
        refreshStrategy: undefined,
      },
    };
    const cron: OutputPortEntityV1alpha1 = {
      ...port,
      spec: { ...port.spec, refresh: { schedule: '0 * * * *' } },
    };
    for (const p of [view, cron]) {
      const first = toOdcsContract(p, product, context);
      const again = fromOdcsContract(first);
      expect(toOdcsContract(again.port, again.product, context)).toEqual(first);
    }
  });
});

describe('fromOdcsContract refuses', () => {
  const valid = () =>
    JSON.parse(JSON.stringify(toOdcsContract(port, product, context)));

  it('a document that is no ODCS v3.1.0 contract, naming the field', () => {
    const doc = valid();
    doc.kind = 'DataProduct';
    delete doc.id;
    doc.schema[0].properties[0].nullable = true;
    expect(() => fromOdcsContract(doc)).toThrow(
      /id is required by ODCS v3\.1\.0; kind: "DataProduct" must be one of DataContract; schema\[0\]\.properties\[0\]\.nullable is not a field ODCS v3\.1\.0 defines here/,
    );
  });

  it('a physical type the portal does not support, naming the field', () => {
    const doc = valid();
    doc.schema[0].properties[2].physicalType = 'GEOMETRY(POINT)';
    expect(() => fromOdcsContract(doc)).toThrow(
      'schema[0].properties[2].physicalType: "GEOMETRY(POINT)" is not a supported column type',
    );
  });

  it('a column name that is no safe identifier', () => {
    const doc = valid();
    doc.schema[0].properties[1].name = 'x"; DROP TABLE t; --';
    expect(() => fromOdcsContract(doc)).toThrow(
      /schema\[0\]\.properties\[1\]\.name: .* is not a column name the portal takes/,
    );
  });

  it('a quality metric the portal does not check', () => {
    const doc = valid();
    doc.schema[0].properties[2].quality = [
      { metric: 'missingValues', mustBe: 0 },
    ];
    expect(() => fromOdcsContract(doc)).toThrow(
      'schema[0].properties[2].quality[0].metric: "missingValues" is not a metric the portal checks',
    );
  });

  it('a contract that defines more than one object', () => {
    const doc = valid();
    doc.schema.push({ ...doc.schema[0], name: 'other' });
    expect(() => fromOdcsContract(doc)).toThrow(
      'schema must list exactly one object',
    );
  });

  it('a contract without owner or schema, unless the form gives them', () => {
    const doc = valid();
    delete doc.team;
    delete doc.servers;
    expect(() => fromOdcsContract(doc)).toThrow(
      /team\.name is required.*no postgres server names a schema/,
    );
    const imported = fromOdcsContract(doc, {
      owner: 'group:logistics',
      schema: 'deliveries_v1',
    });
    expect(imported.product.spec).toMatchObject({
      owner: 'group:logistics',
      schema: 'deliveries_v1',
    });
  });

  it('an SLA it cannot read as a duration', () => {
    const doc = valid();
    doc.slaProperties[1] = { property: 'latency', value: 3, unit: 'y' };
    expect(() => fromOdcsContract(doc)).toThrow(
      'slaProperties[1]: latency 3 y must be a positive whole number of d, h, min or s',
    );
  });
});
