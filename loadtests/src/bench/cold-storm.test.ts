import { stormSeconds } from './cold-storm';

test('a storm ends at the first of two calm seconds in a row', () => {
  // Run Bc-3 of ADR 0206's probing: seconds 0-1 stormed; second 2 and 3 were calm.
  expect(stormSeconds([1452, 892, 166, 71, 60, 108], 300)).toBe(2);
  // One calm second between stormy ones does not end it.
  expect(stormSeconds([2000, 120, 900, 250, 40], 300)).toBe(3);
});

test('an attack that never stormed has a storm of 0 s; one still stormy at the end has none', () => {
  expect(stormSeconds([40, 60, 55], 300)).toBe(0);
  expect(stormSeconds([5000, 4000, 120], 300)).toBeNull();
  expect(stormSeconds([], 300)).toBeNull();
});

test('the number of calm seconds is a whole number of at least one', () => {
  expect(stormSeconds([900, 100, 900], 300, 1)).toBe(1);
  expect(() => stormSeconds([1], 300, 0)).toThrow(/calm must be/);
  expect(() => stormSeconds([1], 300, 1.5)).toThrow(/calm must be/);
});
