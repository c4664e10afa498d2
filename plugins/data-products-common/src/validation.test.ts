import { Entity } from '@backstage/catalog-model';
import {
  dataProductEntityV1alpha1Schema,
  dataProductEntityV1alpha1Validator,
  outputPortEntityV1alpha1Schema,
  outputPortEntityV1alpha1Validator,
  validateDataProductEntity,
  validateOutputPortEntity,
} from './validation';

function product(spec: Record<string, unknown>, drop: string[] = []): Entity {
  const base: Record<string, unknown> = {
    type: 'consumer-aligned',
    lifecycle: 'production',
    owner: 'group:marketing',
    domain: 'marketing',
    schema: 'marketing_360',
    inputs: ['outputport:sales-crm-customers-customers'],
    ...spec,
  };
  for (const key of drop) {
    delete base[key];
  }
  return {
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'marketing-customer-360' },
    spec: base as Entity['spec'],
  };
}

function port(spec: Record<string, unknown>, drop: string[] = []): Entity {
  const base: Record<string, unknown> = {
    dataProduct: 'sales-crm-customers',
    name: 'customers',
    type: 'postgres-table',
    access: 'restricted',
    source: 'sources.crm_customers',
    columns: [
      { name: 'id', type: 'INTEGER', required: true, primaryKey: true },
      { name: 'email', type: 'VARCHAR(100)', description: 'Email.' },
    ],
    ...spec,
  };
  for (const key of drop) {
    delete base[key];
  }
  return {
    apiVersion: 'dataproducts.io/v1alpha1',
    kind: 'OutputPort',
    metadata: { name: 'sales-crm-customers-customers' },
    spec: base as Entity['spec'],
  };
}

describe('schema examples', () => {
  it.each(
    dataProductEntityV1alpha1Schema.examples.map(e => [e.metadata.name, e]),
  )('DataProduct example %s is valid', async (_name, example) => {
    expect(validateDataProductEntity(example as Entity)).toEqual([]);
    await expect(
      dataProductEntityV1alpha1Validator.check(example as Entity),
    ).resolves.toBe(true);
  });

  it.each(
    outputPortEntityV1alpha1Schema.examples.map(e => [e.metadata.name, e]),
  )('OutputPort example %s is valid', async (_name, example) => {
    expect(validateOutputPortEntity(example as Entity)).toEqual([]);
    await expect(
      outputPortEntityV1alpha1Validator.check(example as Entity),
    ).resolves.toBe(true);
  });
});

describe('validateDataProductEntity', () => {
  it.each<[string, Entity, string]>([
    [
      'missing type',
      product({}, ['type']),
      'spec.type is required: one of source-aligned, aggregate, consumer-aligned',
    ],
    [
      'unknown type',
      product({ type: 'sourced' }),
      'spec.type: "sourced" must be one of source-aligned, aggregate, consumer-aligned',
    ],
    [
      'missing lifecycle',
      product({}, ['lifecycle']),
      'spec.lifecycle is required',
    ],
    [
      'empty lifecycle',
      product({ lifecycle: ' ' }),
      'spec.lifecycle: " " must be a non-empty string',
    ],
    ['missing owner', product({}, ['owner']), 'spec.owner is required'],
    [
      'owner of a wrong kind',
      product({ owner: 'component:x' }),
      'spec.owner: "component:x" is not a valid entity reference: Entity reference "component:x" must point to Group or User, not component',
    ],
    [
      'domain of a wrong kind',
      product({ domain: 'system:crm' }),
      'spec.domain: "system:crm" is not a valid entity reference',
    ],
    ['missing schema', product({}, ['schema']), 'spec.schema is required'],
    [
      'upper-case schema',
      product({ schema: 'Marketing' }),
      'spec.schema: "Marketing" must be a safe PostgreSQL identifier',
    ],
    [
      'reserved schema',
      product({ schema: 'select' }),
      'spec.schema: "select" must not be a PostgreSQL reserved word',
    ],
    [
      'pg_ schema',
      product({ schema: 'pg_sales' }),
      'spec.schema: "pg_sales" must not start with \'pg_\'',
    ],
    [
      'public schema',
      product({ schema: 'public' }),
      'spec.schema: "public" must not be a shared schema',
    ],
    [
      'long schema',
      product({ schema: 's'.repeat(64) }),
      'must be at most 63 bytes long',
    ],
    [
      'inputs not a list',
      product({ inputs: 'outputport:x' }),
      'spec.inputs: "outputport:x" must be a list of entity references',
    ],
    [
      'input of a wrong kind',
      product({ inputs: ['component:x'] }),
      'spec.inputs[0]: "component:x" is not a valid input: Entity reference "component:x" must point to OutputPort or Resource',
    ],
    [
      'duplicate input',
      product({ inputs: ['outputport:a', 'OutputPort:default/a'] }),
      'spec.inputs[1]: "OutputPort:default/a" is listed twice (also spec.inputs[0])',
    ],
    [
      'unknown field',
      product({ owners: 'x' }),
      'spec.owners is not a known field',
    ],
  ])('%s', (_case, entity, message) => {
    const problems = validateDataProductEntity(entity);
    expect(problems.map(p => p.message)).toEqual([
      expect.stringContaining(message),
    ]);
  });

  it('reports the field, the value and the rule separately', () => {
    expect(validateDataProductEntity(product({ schema: 'Bad' }))).toEqual([
      {
        field: 'spec.schema',
        value: 'Bad',
        rule: expect.stringContaining('safe PostgreSQL identifier'),
        message: expect.stringMatching(/^spec\.schema: "Bad" must be/),
      },
    ]);
  });

  it('reports every broken rule at once', () => {
    const problems = validateDataProductEntity(
      product({ type: 'x', schema: 'Y' }),
    );
    expect(problems.map(p => p.field)).toEqual(['spec.type', 'spec.schema']);
  });

  it('accepts a product without domain and inputs', () => {
    expect(
      validateDataProductEntity(product({}, ['domain', 'inputs'])),
    ).toEqual([]);
  });
});

describe('validateOutputPortEntity', () => {
  const model =
    "SELECT id, email FROM {{ source('sales_crm_customers', 'customers') }}";
  it.each<[string, Entity, string]>([
    [
      'missing dataProduct',
      port({}, ['dataProduct']),
      'spec.dataProduct is required',
    ],
    [
      'dataProduct of a wrong kind',
      port({ dataProduct: 'component:x' }),
      'spec.dataProduct: "component:x" is not a valid entity reference: Entity reference "component:x" must point to DataProduct',
    ],
    ['missing name', port({}, ['name']), 'spec.name is required'],
    [
      'unsafe port name',
      port({ name: 'Customers-List' }),
      'spec.name: "Customers-List" must be a safe PostgreSQL identifier',
    ],
    [
      'reserved port name',
      port({ name: 'order' }),
      'spec.name: "order" must not be a PostgreSQL reserved word',
    ],
    [
      'unknown type',
      port({ type: 'table' }),
      'spec.type: "table" must be one of postgres-table, postgres-view',
    ],
    [
      'unknown access',
      port({ access: 'public' }),
      'spec.access: "public" must be one of restricted, unrestricted',
    ],
    [
      'owner of a wrong kind',
      port({ owner: 'domain:x' }),
      'spec.owner: "domain:x" is not a valid entity reference',
    ],
    [
      'model and source',
      port({ model }),
      'spec.model must not be set together with spec.source',
    ],
    [
      'neither model nor source',
      port({}, ['source']),
      'spec.model or spec.source is required',
    ],
    [
      'source without schema',
      port({ source: 'crm_customers' }),
      'spec.source: "crm_customers" must name a table as <schema>.<table>',
    ],
    [
      'unsafe source',
      port({ source: 'sources.Customers' }),
      'spec.source: "sources.Customers" \'Customers\' must be a safe PostgreSQL identifier',
    ],
    [
      'malformed source() in model',
      port({ model: "SELECT * FROM {{ source('x') }}" }, ['source']),
      'spec.model is invalid: Malformed source reference "{{ source(\'x\') }}" at offset 14',
    ],
    ['missing columns', port({}, ['columns']), 'spec.columns is required'],
    [
      'empty columns',
      port({ columns: [] }),
      'spec.columns: [] must be a non-empty list of columns',
    ],
    [
      'column without type',
      port({ columns: [{ name: 'id' }] }),
      'spec.columns[0].type is required',
    ],
    [
      'unsafe column name',
      port({ columns: [{ name: 'e-mail', type: 'TEXT' }] }),
      'spec.columns[0].name: "e-mail" must be a safe PostgreSQL identifier',
    ],
    [
      'reserved column name',
      port({ columns: [{ name: 'user', type: 'TEXT' }] }),
      'spec.columns[0].name: "user" must not be a PostgreSQL reserved word',
    ],
    [
      'unsupported column type',
      port({ columns: [{ name: 'amount', type: 'MONEY' }] }),
      'spec.columns[0].type: "MONEY" must be one of the documented column types: SMALLINT, INTEGER',
    ],
    [
      'bad column type parameter',
      port({ columns: [{ name: 'code', type: 'VARCHAR(0)' }] }),
      'spec.columns[0].type: "VARCHAR(0)" must have a VARCHAR length between 1 and 10485760 (it is 0)',
    ],
    [
      'duplicate column',
      port({
        columns: [
          { name: 'id', type: 'INTEGER' },
          { name: 'id', type: 'TEXT' },
        ],
      }),
      'spec.columns[1].name: "id" is a duplicate column name (also spec.columns[0].name)',
    ],
    [
      'non-boolean flag',
      port({ columns: [{ name: 'id', type: 'INTEGER', unique: 'yes' }] }),
      'spec.columns[0].unique: "yes" must be true or false',
    ],
    [
      'nullable primary key',
      port({
        columns: [
          { name: 'id', type: 'INTEGER', primaryKey: true, required: false },
        ],
      }),
      'spec.columns[0].required: false contradicts primaryKey: true',
    ],
    [
      'misspelled column field',
      port({ columns: [{ name: 'id', type: 'INTEGER', descripton: 'x' }] }),
      'spec.columns[0].descripton is not a known field',
    ],
    [
      'non-string description',
      port({ columns: [{ name: 'id', type: 'INTEGER', description: 3 }] }),
      'spec.columns[0].description: 3 must be a string',
    ],
  ])('%s', (_case, entity, message) => {
    const problems = validateOutputPortEntity(entity);
    expect(problems.map(p => p.message)).toEqual([
      expect.stringContaining(message),
    ]);
  });

  it('accepts a model port', () => {
    expect(
      validateOutputPortEntity(
        port({ model, type: 'postgres-view' }, ['source']),
      ),
    ).toEqual([]);
  });
});

describe('kind validators', () => {
  it('answer false for other kinds', async () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: {},
    };
    await expect(
      dataProductEntityV1alpha1Validator.check(component),
    ).resolves.toBe(false);
    await expect(
      outputPortEntityV1alpha1Validator.check(component),
    ).resolves.toBe(false);
  });

  it('throw a TypeError listing every problem', async () => {
    await expect(
      outputPortEntityV1alpha1Validator.check(
        port({ name: 'Bad', columns: [{ name: 'x', type: 'MONEY' }] }),
      ),
    ).rejects.toThrow(
      /^Invalid OutputPort "sales-crm-customers-customers": spec\.name: "Bad" must be .*; spec\.columns\[0\]\.type: "MONEY" must be one of/,
    );
  });

  it('fall back to the JSON schema for the envelope', async () => {
    const entity = port({});
    entity.metadata.tags = 'customers' as unknown as string[];
    await expect(
      outputPortEntityV1alpha1Validator.check(entity),
    ).rejects.toThrow(
      'Invalid OutputPort "sales-crm-customers-customers": metadata.tags must be array',
    );
  });
});
