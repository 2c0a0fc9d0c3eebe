import { createRateLimiter } from './rate-limiter';

test('without Redis, a per-process window limits attempts and tells how long to wait', async () => {
  let now = 1_000_000;
  const l = createRateLimiter(null, () => now);
  const limit = { limit: 3, windowSeconds: 60 };
  const waits = [];
  for (let i = 0; i < 4; i++) waits.push(await l.hit('k', limit));
  expect(waits).toEqual([0, 0, 0, 60]);
  now += 30_000;
  expect(await l.hit('k', limit)).toBe(30);
  expect(await l.hit('other', limit)).toBe(0); // keys are independent
  now += 31_000;
  expect(await l.hit('k', limit)).toBe(0); // a new window
  await l.reset('k');
  for (let i = 0; i < 3; i++) expect(await l.hit('k', limit)).toBe(0);
});
