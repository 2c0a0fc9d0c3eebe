import { join } from 'node:path';
import { loadSpecs, SLO_ROOT, type SloModel } from '@dhakacart/slo';
import { thresholdsFromSlos } from './thresholds';

test('thresholds follow the SLO specs: error objectives and latency bounds per journey', () => {
  const t = thresholdsFromSlos(loadSpecs(join(SLO_ROOT, 'specs')));
  expect(t.browse).toMatchObject({ maxErrorRate: 0.001, latency: { percentile: 99, maxMs: 300 } });
  expect(t.checkout?.latency).toEqual({ percentile: 99, maxMs: 1000 });
  expect(t.cart?.maxErrorRate).toBe(0.001);
});

test('a changed objective changes the threshold; a latency SLO without a bucket is an error', () => {
  const slo = (over: Partial<SloModel>): SloModel =>
    ({
      name: 'x',
      objective: 99.5,
      labels: { journey: 'browse', category: 'availability' },
      sli: { kind: 'events', errorQuery: 'e', totalQuery: 't' },
      ...over,
    }) as SloModel;
  expect(thresholdsFromSlos([slo({})]).browse?.maxErrorRate).toBe(0.005);
  expect(
    thresholdsFromSlos([
      slo({
        objective: 95,
        labels: { journey: 'browse', category: 'latency' },
        sli: { kind: 'events', errorQuery: 'a - b{le="0.25"}', totalQuery: 't' },
      }),
    ]).browse?.latency,
  ).toEqual({ percentile: 95, maxMs: 250 });
  expect(() =>
    thresholdsFromSlos([slo({ labels: { journey: 'browse', category: 'latency' } })]),
  ).toThrow(/names no le=/);
});
