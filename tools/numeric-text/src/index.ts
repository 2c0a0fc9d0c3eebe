import { z } from 'zod';

/**
 * Numbers that arrive as text: environment variables, command-line flags, URL paths and queries.
 *
 * z.coerce.number() is JavaScript's Number(text). It also takes " 20", "20 ", "2e1", "0x14",
 * "0b10", "+20" and "20.0", and reads an empty string as 0. Each is a typo or a probe, never what
 * an operator or a client meant, and a contract that says `type: integer` refuses them (the
 * fuzzer's ST201 finding in the API came from this). Here a number written as text is decimal
 * digits only, with a decimal point where a fraction is allowed; anything else is refused with a
 * message that says what is expected. A value that is already a number (a default written in
 * code, a JSON body) is checked as it is. Leading zeros ("05") are still decimal, so accepted.
 * No reader here takes a negative number: none of the project's settings needs one.
 */

export const WHOLE_NUMBER_MESSAGE = 'must be a whole number written in digits';
export const DECIMAL_NUMBER_MESSAGE =
  'must be a number written in digits, with an optional decimal point';

// 15 digits stay below 2^53, so Number() of them is exact.
const WHOLE = /^[0-9]{1,15}$/;
const DECIMAL = /^[0-9]{1,15}(\.[0-9]{1,15})?$/;

const fromText = (pattern: RegExp) => (v: unknown) =>
  typeof v === 'string' && pattern.test(v) ? Number(v) : v;

/**
 * Decimal digits become a number before `inner` reads it; any other text reaches `inner`
 * unchanged and is refused there. A JSON Schema of the input (`io: 'input'`) is still `inner`'s:
 * `type: integer`, its bounds and its default.
 */
export const fromDigits = <T extends z.ZodType>(inner: T) => z.preprocess(fromText(WHOLE), inner);

/** As fromDigits, and one decimal point with digits on both sides is allowed ("0.25"). */
export const fromDecimalDigits = <T extends z.ZodType>(inner: T) =>
  z.preprocess(fromText(DECIMAL), inner);

/** A whole number in [min, max], bounds included; text is refused (see fromDigits). */
export const wholeNumber = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  z.int({ error: WHOLE_NUMBER_MESSAGE }).min(min).max(max);

/** A whole number in [min, max] written as decimal digits: a port, a time-out, a page size. */
export const wholeNumberText = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  fromDigits(wholeNumber(min, max));

/** A number in [min, max] written as digits with an optional decimal point: a rate, a ratio. */
export const decimalNumberText = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  fromDecimalDigits(z.number({ error: DECIMAL_NUMBER_MESSAGE }).min(min).max(max));

/**
 * For a command-line reader that checks the range itself and names its flag in the message:
 * the number `text` spells in decimal digits, or NaN when it spells none (" 20", "2e1", "0x14",
 * ""), which every range check refuses.
 */
export const wholeNumberOf = (text: string): number => (WHOLE.test(text) ? Number(text) : NaN);

/** As wholeNumberOf, and one decimal point with digits on both sides is allowed. */
export const decimalNumberOf = (text: string): number => (DECIMAL.test(text) ? Number(text) : NaN);
