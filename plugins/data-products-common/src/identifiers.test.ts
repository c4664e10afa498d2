import {
  assertSafeIdentifier,
  isSafeIdentifier,
  POSTGRES_RESERVED_WORDS,
  quoteIdentifier,
  validateIdentifier,
  validateSchemaName,
} from './identifiers';

describe('validateIdentifier', () => {
  it.each(['customers', '_private', 'order_total_2', 'a'.repeat(63)])(
    'accepts %j',
    value => {
      expect(validateIdentifier(value)).toBeUndefined();
      expect(isSafeIdentifier(value)).toBe(true);
    },
  );

  it.each([
    ['', /non-empty/],
    [42, /non-empty string/],
    ['Customers', /lower case/],
    ['2fast', /not starting with a digit/],
    ['first-name', /\[a-z_\]\[a-z0-9_\]\*/],
    ['robert"; drop table x; --', /safe PostgreSQL identifier/],
    ['a'.repeat(64), /at most 63 bytes long .* it is 64/],
    ['select', /must not be a PostgreSQL reserved word/],
    ['user', /reserved word/],
    ['left', /reserved word/],
  ])('rejects %j', (value, message) => {
    expect(validateIdentifier(value)).toMatch(message);
    expect(isSafeIdentifier(value)).toBe(false);
  });

  it('knows the reserved words PostgreSQL 18 lists', () => {
    expect(POSTGRES_RESERVED_WORDS.size).toBe(101);
    expect(POSTGRES_RESERVED_WORDS.has('table')).toBe(true);
    expect(POSTGRES_RESERVED_WORDS.has('name')).toBe(false);
  });
});

describe('validateSchemaName', () => {
  it('accepts a dedicated schema', () => {
    expect(validateSchemaName('marketing_360')).toBeUndefined();
  });
  it.each([
    ['pg_sales', /must not start with 'pg_'/],
    ['public', /dedicated schema/],
    ['information_schema', /dedicated schema/],
    ['Sales', /lower case/],
    ['sales__crm', /must not contain '__'/],
  ])('rejects %j', (value, message) => {
    expect(validateSchemaName(value)).toMatch(message);
  });
});

describe('assertSafeIdentifier and quoteIdentifier', () => {
  it('quotes a safe identifier', () => {
    expect(quoteIdentifier('customers')).toBe('"customers"');
  });
  it('throws naming what and the value', () => {
    expect(() => assertSafeIdentifier('Bad Name', 'port name')).toThrow(
      'Invalid port name "Bad Name": must be a safe PostgreSQL identifier',
    );
    expect(() => quoteIdentifier('x"y', 'column')).toThrow('Invalid column');
  });
});
