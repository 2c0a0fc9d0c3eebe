import { decide, FAST_BURN, gateLimits } from './gate';

const limits = gateLimits();

test('the limits are the SLO objectives burning 14.4 times too fast', () => {
  expect(limits.maxErrorRatio).toBeCloseTo(FAST_BURN * 0.001, 10);
  expect(limits.maxCheckoutErrorRatio).toBeCloseTo(0.0144, 10);
  expect(limits.maxBrowseSlowRatio).toBeCloseTo(0.144, 10);
});

test('a healthy new version passes; one failing a fifth of its checkouts breaches, saying why', () => {
  const healthy = {
    requestsPerSecond: 40,
    errorRatio: 0,
    checkoutRequestsPerSecond: 1,
    checkoutErrorRatio: 0,
    browseSlowRatio: 0.002,
  };
  expect(decide(healthy, limits).verdict).toBe('pass');
  const bad = decide({ ...healthy, checkoutErrorRatio: 0.2, errorRatio: 0.005 }, limits);
  expect(bad.verdict).toBe('breach');
  expect(bad.reasons).toEqual(['20.00% of its checkouts failed (limit 1.44%)']);
  expect(decide({ ...healthy, browseSlowRatio: 0.5 }, limits).reasons[0]).toMatch(
    /slower than 300 ms/,
  );
});

test('a version that served nothing cannot be judged: undecidable, never a pass', () => {
  expect(decide({}, limits).verdict).toBe('undecidable');
  expect(decide({ requestsPerSecond: 0.1, errorRatio: 0 }, limits).verdict).toBe('undecidable');
  expect(decide({ requestsPerSecond: Number.NaN }, limits).verdict).toBe('undecidable');
});

test('a window without a single checkout is undecidable (fail closed), however healthy the rest', () => {
  // Seen in a benchmark: the release's own load never started; probes alone kept the request
  // rate up, and a drill image that fails checkouts would have passed.
  const r = decide(
    { requestsPerSecond: 5.3, errorRatio: 0, checkoutRequestsPerSecond: 0, browseSlowRatio: 0 },
    limits,
  );
  expect(r.verdict).toBe('undecidable');
  expect(r.reasons[0]).toMatch(/no checkouts/);
  expect(decide({ requestsPerSecond: 5.3, errorRatio: 0 }, limits).verdict).toBe('undecidable');
});
