import { z } from 'zod';
import {
  DECIMAL_NUMBER_MESSAGE,
  WHOLE_NUMBER_MESSAGE,
  decimalNumberOf,
  decimalNumberText,
  fromDigits,
  wholeNumber,
  wholeNumberOf,
  wholeNumberText,
} from './index';

const messages = (r: z.ZodSafeParseResult<unknown>) =>
  r.success ? [] : r.error.issues.map((i) => i.message);

// Everything Number(text) reads as a number but a person would not write as one.
const NOT_DIGITS = [
  ' 20',
  '20 ',
  '2e1',
  '0x14',
  '0b10',
  '0o24',
  '+20',
  '-20',
  '20.0',
  '',
  ' ',
  '1_000',
  'Infinity',
  'NaN',
  '２０',
  '20px',
  '9999999999999999',
];

describe('wholeNumberText', () => {
  const port = wholeNumberText(1, 65535);

  it('reads decimal digits, leading zeros included, and a number given as a number', () => {
    expect(port.parse('20')).toBe(20);
    expect(port.parse('08080')).toBe(8080);
    expect(port.parse(65535)).toBe(65535);
  });

  it.each(NOT_DIGITS)('refuses %j with a message that says what is expected', (text) => {
    expect(messages(port.safeParse(text))).toEqual([WHOLE_NUMBER_MESSAGE]);
  });

  it('refuses a number outside its bounds, and a fraction given as a number', () => {
    expect(port.safeParse('0').success).toBe(false);
    expect(port.safeParse('65536').success).toBe(false);
    expect(messages(port.safeParse(2.5))).toEqual([WHOLE_NUMBER_MESSAGE]);
  });

  it('takes a default only when the value is absent, not when it is empty', () => {
    const poolMax = wholeNumberText(1, 200).default(20);
    expect(poolMax.parse(undefined)).toBe(20);
    expect(poolMax.parse('7')).toBe(7);
    expect(poolMax.safeParse('').success).toBe(false);
  });

  it('names the setting in an object, so a config error says which one', () => {
    const env = z.object({ DB_POOL_MAX: wholeNumberText(1, 200) });
    const r = env.safeParse({ DB_POOL_MAX: '0x10' });
    expect(r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['DB_POOL_MAX', WHOLE_NUMBER_MESSAGE],
    ]);
  });
});

describe('decimalNumberText', () => {
  const rate = decimalNumberText(0, 1);

  it('reads digits with one decimal point, and whole numbers', () => {
    expect(rate.parse('0.25')).toBe(0.25);
    expect(rate.parse('1')).toBe(1);
    expect(rate.parse('0')).toBe(0);
  });

  it.each([' 0.5', '.5', '5.', '0.5.1', '5e-1', '0x1', '+0.5', '', '0,5'])('refuses %j', (text) => {
    expect(messages(rate.safeParse(text))).toEqual([DECIMAL_NUMBER_MESSAGE]);
  });

  it('refuses a value outside its bounds', () => {
    expect(rate.safeParse('1.5').success).toBe(false);
  });
});

describe('the input schema a document is generated from', () => {
  it('is the inner schema: an integer with its bounds and default', () => {
    const pageSize = fromDigits(wholeNumber(1, 100).default(24));
    expect(z.toJSONSchema(pageSize, { io: 'input' })).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 24,
    });
  });
});

describe('wholeNumberOf and decimalNumberOf, for readers that check their own range', () => {
  it('spell digits as a number and anything else as NaN', () => {
    expect(wholeNumberOf('0150')).toBe(150);
    expect(decimalNumberOf('2.5')).toBe(2.5);
    expect(decimalNumberOf('7')).toBe(7);
    for (const text of NOT_DIGITS) expect(wholeNumberOf(text)).toBeNaN();
    for (const text of ['2.5', ' 2.5', '.5', '2.5e0', '']) expect(wholeNumberOf(text)).toBeNaN();
    for (const text of [' 2.5', '.5', '5.', '2.5e0', '0x2', ''])
      expect(decimalNumberOf(text)).toBeNaN();
  });
});
