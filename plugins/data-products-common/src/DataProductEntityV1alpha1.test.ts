import { Entity } from '@backstage/catalog-model';
import {
  dataProductEntityV1alpha1Schema,
  dataProductEntityV1alpha1Validator,
  isDataProductEntity,
  validateDataProductEntity,
} from './DataProductEntityV1alpha1';
import { IDENTIFIER_PATTERN } from './identifiers';

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

describe('DataProduct schema', () => {
  it.each(
    dataProductEntityV1alpha1Schema.examples.map(e => [e.metadata.name, e]),
  )('example %s is valid', async (_name, example) => {
    expect(validateDataProductEntity(example as Entity)).toEqual([]);
    await expect(
      dataProductEntityV1alpha1Validator.check(example as Entity),
    ).resolves.toBe(true);
  });

  it('states the identifier rule of the schema name', () => {
    const spec = dataProductEntityV1alpha1Schema.allOf[1].properties!.spec;
    expect(spec.properties.schema.pattern).toBe(IDENTIFIER_PATTERN.source);
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
      'spec.schema: "ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss" must be at most 63 characters long (PostgreSQL truncates longer identifiers), it is 64',
    ],
    [
      'inputs not a list',
      product({ inputs: 'outputport:x' }),
      'spec.inputs: "outputport:x" must be a list',
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

  it('reads an input written without a kind as an OutputPort', () => {
    expect(
      validateDataProductEntity(
        product({ inputs: ['sales-crm-customers-customers'] }),
      ),
    ).toEqual([]);
    expect(
      validateDataProductEntity(
        product({
          inputs: [
            'sales-crm-customers-customers',
            'outputport:default/sales-crm-customers-customers',
          ],
        }),
      ).map(p => p.message),
    ).toEqual([
      'spec.inputs[1]: "outputport:default/sales-crm-customers-customers" is listed twice (also spec.inputs[0]): each input must appear once',
    ]);
  });

  it('reports every missing field of an empty spec', () => {
    expect(
      validateDataProductEntity(
        product({}, [
          'type',
          'lifecycle',
          'owner',
          'domain',
          'schema',
          'inputs',
        ]),
      ).map(p => p.field),
    ).toEqual(['spec.type', 'spec.lifecycle', 'spec.owner', 'spec.schema']);
  });

  it('reports an entity of another kind', () => {
    const entity = product({});
    entity.kind = 'Dataproduct';
    expect(validateDataProductEntity(entity).map(p => p.message)).toEqual([
      'kind: "Dataproduct" must be DataProduct',
    ]);
  });

  it('checks the name with the catalog rule', () => {
    const entity = product({});
    entity.metadata.name = 'marketing customer 360';
    expect(validateDataProductEntity(entity).map(p => p.message)).toEqual([
      'metadata.name: "marketing customer 360" must be a catalog entity name: 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
    ]);
  });
});

describe('dataProductEntityV1alpha1Validator', () => {
  it('answers false for other kinds', async () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: {},
    };
    await expect(
      dataProductEntityV1alpha1Validator.check(component),
    ).resolves.toBe(false);
  });

  it('throws a TypeError listing every problem', async () => {
    await expect(
      dataProductEntityV1alpha1Validator.check(
        product({ type: 'x', schema: 'select' }),
      ),
    ).rejects.toThrow(
      'Invalid DataProduct "marketing-customer-360": spec.type: "x" must be one of source-aligned, aggregate, consumer-aligned; spec.schema: "select" must not be a PostgreSQL reserved word',
    );
  });
});

describe('isDataProductEntity', () => {
  it('recognises its kind only', () => {
    expect(isDataProductEntity(product({}))).toBe(true);
    expect(
      isDataProductEntity({ ...product({}), kind: 'OutputPort' } as Entity),
    ).toBe(false);
    expect(isDataProductEntity(undefined)).toBe(false);
  });
});
