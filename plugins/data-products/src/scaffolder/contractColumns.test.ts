import {
  contractColumnType,
  contractFromModel,
  modelPosition,
  productNameFromTitle,
  unsupportedColumns,
} from './contractColumns';

describe('contractColumnType', () => {
  it.each([
    ['integer', 'INTEGER'],
    ['bigint', 'BIGINT'],
    ['character varying(101)', 'VARCHAR(101)'],
    ['character varying', 'VARCHAR'],
    ['character(2)', 'CHAR(2)'],
    ['numeric(10,2)', 'NUMERIC(10,2)'],
    ['numeric', 'NUMERIC'],
    ['double precision', 'DOUBLE PRECISION'],
    ['timestamp without time zone', 'TIMESTAMP'],
    ['timestamp(3) with time zone', 'TIMESTAMPTZ(3)'],
    ['time without time zone', 'TIME'],
    ['time with time zone', 'TIMETZ'],
    ['date', 'DATE'],
    ['text[]', 'TEXT[]'],
  ])('spells %s as %s', (formatted, contract) => {
    expect(contractColumnType(formatted)).toBe(contract);
  });
});

describe('contractFromModel', () => {
  it('takes names and types from PostgreSQL in its order and keeps what was written for the same name', () => {
    expect(
      contractFromModel(
        [
          { name: 'customer_id', type: 'integer' },
          { name: 'spent', type: 'numeric(12,2)' },
        ],
        [
          { name: 'spent', type: 'TEXT', description: 'Total spent.' },
          { name: 'gone', type: 'DATE', description: 'Not produced.' },
        ],
      ),
    ).toEqual([
      { name: 'customer_id', type: 'INTEGER' },
      { name: 'spent', type: 'NUMERIC(12,2)', description: 'Total spent.' },
    ]);
  });

  it('names the columns whose type is outside the documented set', () => {
    expect(
      unsupportedColumns(
        contractFromModel([
          { name: 'tags', type: 'text[]' },
          { name: 'n', type: 'bigint' },
        ]),
      ),
    ).toEqual(['tags (TEXT[])']);
  });
});

describe('productNameFromTitle', () => {
  it('derives the entity name as the templates do', () => {
    expect(productNameFromTitle('  Marketing Customer 360! ')).toBe(
      'marketing-customer-360',
    );
  });
});

describe('modelPosition', () => {
  it('reads the line and column a check message points at', () => {
    expect(
      modelPosition('Function pg_sleep is not allowed at line 2, column 8:'),
    ).toEqual({ line: 2, column: 8 });
    expect(modelPosition('no position')).toBeUndefined();
  });
});
