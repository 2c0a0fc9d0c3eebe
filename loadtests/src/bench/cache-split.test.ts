import { splitByCache } from './cache-split';

const rows = (n: number, ms: number, cache: string | null) =>
  Array.from({ length: n }, () => ({ ms, cache }));

test('a tail made of misses shows as slow requests that are almost all misses', () => {
  const s = splitByCache(
    [...rows(950, 2, 'HIT'), ...rows(40, 5, 'MISS'), ...rows(10, 300, 'MISS')],
    100,
  );
  expect(s).toEqual({
    requests: 1000,
    missShare: 0.05,
    hitP99Ms: 2,
    missP99Ms: 300,
    slowRequests: 10,
    slowMissShare: 1,
  });
});

test('a tail spread over the host shows slow hits and misses in their own proportion', () => {
  const s = splitByCache(
    [
      ...rows(880, 2, 'HIT'),
      ...rows(20, 250, 'HIT'),
      ...rows(98, 4, 'MISS'),
      ...rows(2, 250, 'MISS'),
    ],
    100,
  );
  expect(s.missShare).toBe(0.1);
  expect(s.slowRequests).toBe(22);
  // 2 of the 22 slow requests were misses: about their 10% of all requests, not the tail's cause.
  expect(s.slowMissShare).toBe(0.0909);
  expect(s.hitP99Ms).toBe(250);
  expect(s.missP99Ms).toBe(250);
});

test('an answer without X-Cache counts as a miss, and no rows give zeros', () => {
  expect(
    splitByCache(
      [
        { ms: 500, cache: null },
        { ms: 1, cache: 'HIT' },
      ],
      100,
    ),
  ).toMatchObject({
    missShare: 0.5,
    slowRequests: 1,
    slowMissShare: 1,
  });
  expect(splitByCache([], 100)).toEqual({
    requests: 0,
    missShare: 0,
    hitP99Ms: 0,
    missP99Ms: 0,
    slowRequests: 0,
    slowMissShare: 0,
  });
});
