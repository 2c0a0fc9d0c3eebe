import { sharedMaxAge } from './catalog';

// What shared caches are told to keep: spread below the max-age, never above it, never zero.
test.each([
  [5, [3, 4, 5]],
  [2, [1, 2]],
  [1, [1]],
  [60, [58, 59, 60]],
])('max-age %i spreads over %j', (maxAge, expected) => {
  const draws = [0, 0.2, 0.34, 0.5, 0.67, 0.9, 0.999999].map((r) => sharedMaxAge(maxAge, () => r));
  expect([...new Set(draws)].sort((a, b) => a - b)).toEqual(expected);
});
