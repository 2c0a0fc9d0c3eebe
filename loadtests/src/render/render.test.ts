import { JOURNEYS } from '../model/journeys';
import { SCENARIOS } from '../model/scenarios';
import { journeysPerSecond } from '../model/visitor-model';
import { artilleryPhases, journeyFlow, renderArtillery } from './artillery';
import { k6Scenarios, k6Thresholds, renderK6 } from './k6';

test('the shopper journey renders to Artillery pages with think times and the retrying checkout', () => {
  const flow = journeyFlow('shopper');
  const steps = flow.map((s) => Object.keys(s)[0]);
  expect(steps.filter((s) => s === 'function')).toHaveLength(
    (JOURNEYS.shopper.pages.length - 1) * 2 + 1,
  );
  expect(flow.at(-1)).toEqual({ function: 'checkout' });
  const register = flow.find((s) => 'post' in s) as { post: { capture: unknown; name: string } };
  expect(register.post).toMatchObject({ name: 'account', capture: { header: 'set-cookie' } });
});

test("Artillery's arrival rates are Little's law on the scenario's visitors", () => {
  const s = SCENARIOS.shopper!;
  const phases = artilleryPhases(s, 10_000, 210);
  const want = journeysPerSecond(10_000 * 0.03, JOURNEYS.shopper.pages.length, s.thinkScale);
  const steady = phases.at(-1)!;
  expect(steady.arrivalRate ?? (steady.arrivalCount ?? 0) / steady.duration).toBeCloseTo(want, 0);
  // Browsing only: nothing for Artillery (Vegeta carries it).
  expect(
    renderArtillery(SCENARIOS.browse!, {
      baseUrl: 'https://localhost:8443',
      visitors: 10,
      seconds: 10,
      statsFile: '/tmp/x',
    }),
  ).toBeNull();
});

test('k6: 100,000 visitors need 100,000 VUs (Little), with 20% headroom', () => {
  const sc = k6Scenarios(SCENARIOS['peak-100k']!, 100_000);
  const vus = Object.values(sc).reduce((a, s) => a + s.preAllocatedVUs, 0);
  expect(vus).toBe(100_000);
  expect(Object.values(sc).reduce((a, s) => a + s.maxVUs, 0)).toBe(120_000);
  expect(sc.browse!.executor).toBe('ramping-arrival-rate');
});

test('k6 thresholds are tagged by SLO journey', () => {
  expect(
    k6Thresholds({
      browse: { slos: [], maxErrorRate: 0.001, latency: { percentile: 99, maxMs: 300 } },
    }),
  ).toEqual({
    'http_req_failed{sli:browse}': ['rate<=0.001'],
    'http_req_duration{sli:browse}': ['p(99)<=300'],
  });
  expect(() => renderK6('nope', {})).toThrow(/unknown scenario/);
});
