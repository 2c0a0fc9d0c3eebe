import {
  parseCustomer,
  parseRequestId,
  parseService,
  parseSince,
  stepFor,
  UsageError,
} from './params';

test('--since takes one whole number and one unit, up to 31 days', () => {
  expect(parseSince('1h')).toEqual({ text: '1h', ms: 3_600_000 });
  expect(parseSince(' 030m ')).toEqual({ text: '30m', ms: 1_800_000 });
  expect(parseSince('7d').ms).toBe(7 * 86_400_000);
  for (const bad of ['', '1', 'h', '1.5h', '-1h', '1h30m', '0m', '32d', '1 h', '1y', 'now'])
    expect(() => parseSince(bad)).toThrow(UsageError);
});

test('a chart step keeps the number of columns near 60', () => {
  expect(stepFor(parseSince('1h')).text).toBe('1m');
  expect(stepFor(parseSince('6h')).text).toBe('10m');
  expect(stepFor(parseSince('24h')).text).toBe('30m');
  expect(stepFor(parseSince('31d')).text).toBe('1d');
});

test('a customer is an email (lower-cased) or a user id (a UUID), nothing else', () => {
  expect(parseCustomer('Rahim@Example.test')).toEqual({
    kind: 'email',
    email: 'rahim@example.test',
  });
  expect(parseCustomer('3F1C1B9E-6A55-4C1E-9D8E-0F2B1A7C4D10')).toEqual({
    kind: 'id',
    userId: '3f1c1b9e-6a55-4c1e-9d8e-0f2b1a7c4d10',
  });
  for (const bad of [undefined, '', '42', 'rahim', 'a b@c.d', '@x.y'])
    expect(() => parseCustomer(bad)).toThrow(UsageError);
});

test('the error for a bad customer never repeats what was typed', () => {
  try {
    parseCustomer('secret-person at example.test');
    throw new Error('should not parse');
  } catch (e) {
    expect((e as Error).message).not.toContain('secret-person');
  }
});

test('request ids and service names follow the edge and stack rules', () => {
  expect(parseRequestId('b1946ac9-2c1d-4c55.8a0a_1f')).toBe('b1946ac9-2c1d-4c55.8a0a_1f');
  for (const bad of [undefined, '', 'a b', 'x'.repeat(65), 'a"b', 'ä'])
    expect(() => parseRequestId(bad)).toThrow(UsageError);
  expect(parseService('postgres-exporter-pg1')).toBe('postgres-exporter-pg1');
  for (const bad of ['API', 'api_1', '-api', '', 'a'.repeat(41)])
    expect(() => parseService(bad)).toThrow(UsageError);
});
