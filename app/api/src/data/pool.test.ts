import { isDbUnavailable, retryWhileDbUnavailable } from './pool';

/** A clock that only moves when the code under test sleeps. */
function fakeTime() {
  let t = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
  };
}

const unreachable = () =>
  Object.assign(new Error('connect ECONNREFUSED 10.0.3.5:5432'), { code: 'ECONNREFUSED' });

test('a demoted primary (read-only transaction) counts as the database being unavailable', () => {
  expect(
    isDbUnavailable({ code: '25006', message: 'cannot execute UPDATE in a read-only transaction' }),
  ).toBe(true);
  expect(isDbUnavailable({ code: '23505', message: 'duplicate key' })).toBe(false);
});

test('retries while the database is unreachable, backing off, and returns the result', async () => {
  const clock = fakeTime();
  let calls = 0;
  const fn = async () => {
    if (++calls <= 4) throw unreachable();
    return 'recorded';
  };
  await expect(retryWhileDbUnavailable(fn, 30_000, clock.sleep, clock.now)).resolves.toBe(
    'recorded',
  );
  expect(calls).toBe(5);
  expect(clock.waits).toEqual([250, 500, 1000, 2000]);
});

test('any other error ends it at once', async () => {
  const clock = fakeTime();
  let calls = 0;
  const bad = Object.assign(new Error('duplicate key'), { code: '23505' });
  await expect(
    retryWhileDbUnavailable(
      async () => {
        calls++;
        throw bad;
      },
      30_000,
      clock.sleep,
      clock.now,
    ),
  ).rejects.toBe(bad);
  expect(calls).toBe(1);
});

test('gives up with the last error when the database stays away past the deadline', async () => {
  const clock = fakeTime();
  let calls = 0;
  await expect(
    retryWhileDbUnavailable(
      async () => {
        calls++;
        throw unreachable();
      },
      10_000,
      clock.sleep,
      clock.now,
    ),
  ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  expect(clock.now()).toBeLessThanOrEqual(10_000);
  expect(calls).toBeGreaterThan(3);
});
