import {
  columnTypesMatch,
  isSupportedColumnType,
  normalizeColumnType,
  validateColumnType,
} from './columnTypes';

describe('normalizeColumnType', () => {
  // Right-hand sides are what PostgreSQL 18's format_type() reports for a
  // column declared with the left-hand side.
  it.each([
    ['INTEGER', 'integer'],
    ['int', 'integer'],
    ['INT4', 'integer'],
    ['BIGINT', 'bigint'],
    ['INT8', 'bigint'],
    ['SMALLINT', 'smallint'],
    ['INT2', 'smallint'],
    ['NUMERIC', 'numeric'],
    ['DECIMAL', 'numeric'],
    ['NUMERIC(10)', 'numeric(10,0)'],
    ['DECIMAL(10,2)', 'numeric(10,2)'],
    ['decimal( 10 , 2 )', 'numeric(10,2)'],
    ['REAL', 'real'],
    ['FLOAT4', 'real'],
    ['FLOAT', 'double precision'],
    ['FLOAT(24)', 'real'],
    ['FLOAT(53)', 'double precision'],
    ['FLOAT8', 'double precision'],
    ['DOUBLE PRECISION', 'double precision'],
    ['VARCHAR', 'character varying'],
    ['VARCHAR(100)', 'character varying(100)'],
    ['CHARACTER VARYING(20)', 'character varying(20)'],
    ['CHAR', 'character(1)'],
    ['CHAR(3)', 'character(3)'],
    ['CHARACTER(5)', 'character(5)'],
    ['TEXT', 'text'],
    ['BOOLEAN', 'boolean'],
    ['BOOL', 'boolean'],
    ['DATE', 'date'],
    ['TIMESTAMP', 'timestamp without time zone'],
    ['TIMESTAMP(3)', 'timestamp(3) without time zone'],
    ['TIMESTAMPTZ', 'timestamp with time zone'],
    ['TIMESTAMP WITH TIME ZONE', 'timestamp with time zone'],
    ['TIMESTAMPTZ(3)', 'timestamp(3) with time zone'],
    ['TIMESTAMP(3) WITH TIME ZONE', 'timestamp(3) with time zone'],
    ['TIME', 'time without time zone'],
    ['TIMETZ', 'time with time zone'],
    ['TIME(3)', 'time(3) without time zone'],
    ['INTERVAL', 'interval'],
    ['UUID', 'uuid'],
    ['JSONB', 'jsonb'],
    ['JSON', 'json'],
    ['BYTEA', 'bytea'],
  ])('%s -> %s', (declared, reported) => {
    expect(normalizeColumnType(declared)).toBe(reported);
    // format_type() output normalizes to itself
    expect(normalizeColumnType(reported)).toBe(reported);
  });

  it.each([
    ['MONEY', /^must be one of the documented column types: SMALLINT, INTEGER/],
    ['INTEGER(4)', /documented column types/],
    ['VARCHAR(0)', /VARCHAR length between 1 and 10485760 \(it is 0\)/],
    ['DECIMAL(2,5)', /NUMERIC scale between 0 and the precision 2 \(it is 5\)/],
    ['NUMERIC(1001)', /NUMERIC precision between 1 and 1000/],
    ['FLOAT(54)', /FLOAT precision between 1 and 53/],
    ['TIMESTAMP(7)', /TIMESTAMP precision between 0 and 6/],
    ['DATE WITH TIME ZONE', /documented column types/],
    ['TIMESTAMPTZ WITH TIME ZONE', /documented column types/],
    ['INTEGER; DROP TABLE x', /documented column types/],
    ['', /non-empty string/],
  ])('rejects %j', (type, message) => {
    expect(validateColumnType(type)).toMatch(message);
    expect(isSupportedColumnType(type)).toBe(false);
    expect(() => normalizeColumnType(type)).toThrow(
      `Invalid column type ${JSON.stringify(type)}: ${validateColumnType(
        type,
      )}`,
    );
  });
});

describe('columnTypesMatch', () => {
  it('compares declared and reported types', () => {
    expect(columnTypesMatch('DECIMAL(10,2)', 'numeric(10,2)')).toBe(true);
    expect(columnTypesMatch('VARCHAR(101)', 'character varying(100)')).toBe(
      false,
    );
    expect(columnTypesMatch('INTEGER', 'bigint')).toBe(false);
    expect(columnTypesMatch('MONEY', 'MONEY')).toBe(false);
  });
});
