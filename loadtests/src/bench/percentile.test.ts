import { percentile, percentilePerSecond } from './vegeta';

test('the nearest-rank percentile picks a value that was measured, and 0 for nothing measured', () => {
  const ms = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
  expect(percentile(ms, 99)).toBe(99);
  expect(percentile(ms, 50)).toBe(50);
  expect(percentile([7], 99)).toBe(7);
  expect(percentile([], 99)).toBe(0);
});

test("each second's p99 is its own: one slow second shows as one slow second, not a blur", () => {
  const start = 1_000_000;
  const rows: { at: number; ms: number }[] = [];
  // Second 0: fast; second 1: 1 in 10 slow; second 2: no responses at all; second 3: fast.
  for (let i = 0; i < 100; i++) rows.push({ at: start + i * 10, ms: 2 });
  for (let i = 0; i < 100; i++)
    rows.push({ at: start + 1000 + i * 10, ms: i % 10 === 0 ? 900 : 3 });
  for (let i = 0; i < 100; i++) rows.push({ at: start + 3000 + i * 10, ms: 4 });
  // Before the start (the cold seconds) and at or after the end (a straggler): left out.
  rows.push({ at: start - 1, ms: 5000 }, { at: start + 4000, ms: 0.2 });
  expect(percentilePerSecond(rows, 99, start, start + 4000)).toEqual([2, 900, 0, 4]);
  expect(percentilePerSecond(rows, 99, start)).toEqual([2, 900, 0, 4, 0.2]);
  expect(percentilePerSecond([], 99, start)).toEqual([]);
});
