import { Entity } from '@backstage/catalog-model';
import { IDENTIFIER_PATTERN } from './identifiers';
import { PATTERN_RULES } from './kindSchema';
import { dataProductEntityV1alpha1Schema } from './DataProductEntityV1alpha1';
import {
  isOutputPortEntity,
  outputPortEntityV1alpha1Schema,
  outputPortEntityV1alpha1Validator,
  validateOutputPortEntity,
} from './OutputPortEntityV1alpha1';

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

// Every `pattern` in a schema, with its path.
function patterns(schema: unknown, path = ''): Array<[string, string]> {
  if (typeof schema !== 'object' || schema === null) {
    return [];
  }
  return Object.entries(schema).flatMap(([key, value]) =>
    key === 'pattern' && typeof value === 'string'
      ? [[path, value] as [string, string]]
      : patterns(value, `${path}/${key}`),
  );
}

describe('OutputPort schema', () => {
  it.each(
    outputPortEntityV1alpha1Schema.examples.map(e => [e.metadata.name, e]),
  )('example %s is valid', async (_name, example) => {
    expect(validateOutputPortEntity(example as Entity)).toEqual([]);
    await expect(
      outputPortEntityV1alpha1Validator.check(example as Entity),
    ).resolves.toBe(true);
  });

  it('states the identifier rule of the port and column names', () => {
    const spec = outputPortEntityV1alpha1Schema.allOf[1].properties!.spec;
    expect(spec.properties.name.pattern).toBe(IDENTIFIER_PATTERN.source);
    expect(spec.properties.columns.items.properties.name.pattern).toBe(
      IDENTIFIER_PATTERN.source,
    );
  });

  it.each([
    ...patterns(dataProductEntityV1alpha1Schema),
    ...patterns(outputPortEntityV1alpha1Schema),
  ])('has a readable rule for the pattern at %s', (_path, pattern) => {
    expect(PATTERN_RULES[pattern]).toEqual(expect.stringMatching(/^must /));
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
      port({ access: 'open' }),
      'spec.access: "open" must be one of public, restricted, private, unrestricted',
    ],
    [
      'unknown refresh strategy',
      port({ refreshStrategy: 'truncate' }),
      'spec.refreshStrategy: "truncate" must be one of swap, delete-insert',
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
      'spec.source: "sources.Customers" must name a table as <schema>.<table>, both parts safe PostgreSQL identifiers',
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
      'spec.columns: [] must be a non-empty list',
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

  it('reports a source table named with a reserved word', () => {
    expect(
      validateOutputPortEntity(port({ source: 'sources.order' })).map(
        p => p.message,
      ),
    ).toEqual([
      'spec.source: "sources.order" \'order\' must not be a PostgreSQL reserved word',
    ]);
  });

  it('reports the problems of every column', () => {
    expect(
      validateOutputPortEntity(
        port({
          columns: [
            { name: 'id', type: 'INTEGER' },
            { name: 'Amount', type: 'MONEY' },
            { name: 'user' },
            'email',
            { name: 'id', type: 'TEXT', unique: 'yes' },
          ],
        }),
      ).map(p => p.message),
    ).toEqual([
      'spec.columns[1].name: "Amount" must be a safe PostgreSQL identifier: lower case letters, digits and underscores, not starting with a digit ([a-z_][a-z0-9_]*)',
      'spec.columns[2].type is required',
      'spec.columns[3]: "email" must be an object',
      'spec.columns[4].unique: "yes" must be true or false',
      expect.stringMatching(
        /^spec\.columns\[1\]\.type: "MONEY" must be one of the documented column types/,
      ),
      'spec.columns[2].name: "user" must not be a PostgreSQL reserved word',
      'spec.columns[4].name: "id" is a duplicate column name (also spec.columns[0].name): column names must be unique',
    ]);
  });
});

describe('outputPortEntityV1alpha1Validator', () => {
  it('answers false for other kinds', async () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: {},
    };
    await expect(
      outputPortEntityV1alpha1Validator.check(component),
    ).resolves.toBe(false);
  });

  it('throws a TypeError listing every problem', async () => {
    await expect(
      outputPortEntityV1alpha1Validator.check(
        port({ name: 'Bad', columns: [{ name: 'x', type: 'MONEY' }] }),
      ),
    ).rejects.toThrow(
      /^Invalid OutputPort "sales-crm-customers-customers": spec\.name: "Bad" must be .*; spec\.columns\[0\]\.type: "MONEY" must be one of/,
    );
  });

  it('reports the envelope through the JSON schema', async () => {
    const entity = port({});
    entity.metadata.tags = 'customers' as unknown as string[];
    await expect(
      outputPortEntityV1alpha1Validator.check(entity),
    ).rejects.toThrow(
      'Invalid OutputPort "sales-crm-customers-customers": metadata.tags: "customers" must be a list',
    );
  });
});

describe('isOutputPortEntity', () => {
  it('recognises its kind only', () => {
    expect(isOutputPortEntity(port({}))).toBe(true);
    expect(
      isOutputPortEntity({ ...port({}), kind: 'Component' } as Entity),
    ).toBe(false);
    expect(isOutputPortEntity(undefined)).toBe(false);
  });
});
