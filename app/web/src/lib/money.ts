// Prices travel as integer paisa (1 taka = 100 paisa) and are only turned into text here, so no
// float ever touches money. Grouping is Bangladeshi (lakh/crore): the last three digits, then
// pairs, e.g. 1,23,45,678. Hand-rolled rather than Intl so the output is identical everywhere.

export class InvalidAmountError extends Error {
  constructor(value: unknown) {
    super(`amount must be a safe integer number of paisa, got ${String(value)}`);
    this.name = 'InvalidAmountError';
  }
}

export function assertPaisa(value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new InvalidAmountError(value);
}

/** Groups a string of digits the Bangladeshi way: "12345678" -> "1,23,45,678". */
export function groupBangladeshi(digits: string): string {
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  let rest = digits.slice(0, -3);
  const pairs: string[] = [];
  while (rest.length > 2) {
    pairs.unshift(rest.slice(-2));
    rest = rest.slice(0, -2);
  }
  if (rest) pairs.unshift(rest);
  return `${pairs.join(',')},${last3}`;
}

/** 12345678 paisa -> "৳1,23,456.78". Always two decimals so columns of prices line up. */
export function formatBDT(paisa: number): string {
  assertPaisa(paisa);
  const sign = paisa < 0 ? '-' : '';
  const abs = Math.abs(paisa);
  const taka = Math.floor(abs / 100);
  const rem = abs % 100;
  return `${sign}৳${groupBangladeshi(String(taka))}.${String(rem).padStart(2, '0')}`;
}

/**
 * Parses what an admin types as a taka amount ("1,250", "1250.5", "৳ 99.99") into paisa without
 * floating point. Returns null for anything that is not a non-negative amount with at most two
 * decimals.
 */
export function parseTakaToPaisa(input: string): number | null {
  const cleaned = input.replace(/[৳,\s]/g, '');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!m) return null;
  const taka = Number(m[1]);
  const paisa = Number((m[2] ?? '').padEnd(2, '0'));
  const total = taka * 100 + paisa;
  return Number.isSafeInteger(total) ? total : null;
}

/** 125050 -> "1250.50": the editable form of a price, the inverse of parseTakaToPaisa. */
export function paisaToTakaInput(paisa: number): string {
  assertPaisa(paisa);
  return `${Math.floor(paisa / 100)}.${String(paisa % 100).padStart(2, '0')}`;
}
