import { RunAggregate, percentile } from './aggregate';

const thresholds = {
  browse: { slos: [], maxErrorRate: 0.001, latency: { percentile: 99, maxMs: 300 } },
  checkout: { slos: [], maxErrorRate: 0.001 },
};

test('Vegeta results and Artillery periods merge per journey; errors are 5xx and no answer', () => {
  const a = new RunAggregate(0);
  for (let i = 0; i < 1000; i++) a.addRequest(i * 10, 'browse', 200, i % 50 === 0 ? 250 : 20);
  a.addRequest(5000, 'browse', 404, 5);
  a.addPeriod(10_000, 'checkout', { '201': 40, '409': 5, '503': 1 }, 2, {
    p50: 90,
    p95: 300,
    p99: 420,
  });
  const s = a.summary(thresholds, 10);
  expect(s.journeys.browse).toMatchObject({
    requests: 1001,
    errors: 0,
    client4xx: 1,
    passed: true,
  });
  // 2% of the answers took 250 ms: the p99 is one of them.
  expect(s.journeys.browse!.p99Ms).toBe(250);
  expect(s.journeys.checkout).toMatchObject({ requests: 48, errors: 3, client4xx: 5 });
  // 3 of 48 failed: far over 0.1%.
  expect(s.journeys.checkout!.passed).toBe(false);
  expect(s.journeys.checkout!.breaches[0]).toMatch(/errors 6\.250% > 0\.100%/);
  expect(s.thresholdsPassed).toBe(false);
  expect(s.requests).toBe(1049);
});

test('a p99 over the objective fails the journey; the timeline has a point per 5 s', () => {
  const a = new RunAggregate(1000);
  for (let i = 0; i < 100; i++) a.addRequest(1000 + i * 100, 'browse', 200, i < 95 ? 50 : 900);
  const s = a.summary(thresholds, 10);
  expect(s.journeys.browse!.breaches).toEqual(['p99 900 ms > 300 ms']);
  const t = a.timeline();
  expect(t.map((p) => p.t)).toEqual([0, 5]);
  expect(t[0]!.rps).toBe(10);
  expect(percentile([], 99)).toBe(0);
});
