import {
  formatBDT,
  groupBangladeshi,
  InvalidAmountError,
  paisaToTakaInput,
  parseTakaToPaisa,
} from './money';

describe('formatBDT', () => {
  it.each([
    [0, '৳0.00'],
    [5, '৳0.05'],
    [99, '৳0.99'],
    [100, '৳1.00'],
    [99999, '৳999.99'],
    [100000, '৳1,000.00'],
    [12345678, '৳1,23,456.78'],
    [1000000000, '৳1,00,00,000.00'],
    [123456789012, '৳1,23,45,67,890.12'],
    [-250050, '-৳2,500.50'],
  ])('formats %i paisa as %s', (paisa, text) => {
    expect(formatBDT(paisa)).toBe(text);
  });

  it.each([1.5, Number.NaN, Infinity, 2 ** 53, '100' as unknown as number])(
    'refuses %p, which is not integer paisa',
    (v) => {
      expect(() => formatBDT(v)).toThrow(InvalidAmountError);
    },
  );
});

describe('groupBangladeshi', () => {
  it('groups the last three digits, then pairs (lakh and crore)', () => {
    expect(groupBangladeshi('1')).toBe('1');
    expect(groupBangladeshi('123')).toBe('123');
    expect(groupBangladeshi('1234')).toBe('1,234');
    expect(groupBangladeshi('12345')).toBe('12,345');
    expect(groupBangladeshi('123456')).toBe('1,23,456');
    expect(groupBangladeshi('1234567')).toBe('12,34,567');
    expect(groupBangladeshi('12345678')).toBe('1,23,45,678');
  });
});

describe('parseTakaToPaisa', () => {
  it.each([
    ['1250', 125000],
    ['1250.5', 125050],
    ['1,250.50', 125050],
    ['৳ 99.99', 9999],
    ['0.01', 1],
    ['0.1', 10],
  ])('reads %s as %i paisa without floating point', (text, paisa) => {
    expect(parseTakaToPaisa(text)).toBe(paisa);
  });

  it.each(['', 'abc', '-5', '1.234', '1e3', '12.'])('rejects %p', (text) => {
    expect(parseTakaToPaisa(text)).toBeNull();
  });

  it('round-trips with paisaToTakaInput', () => {
    for (const p of [0, 1, 10, 99, 100, 125050, 987654321])
      expect(parseTakaToPaisa(paisaToTakaInput(p))).toBe(p);
  });
});
