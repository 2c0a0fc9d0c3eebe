import { leftObjective, type Objective } from './slis';

// The game day's verdict on SLOs an experiment may not breach: judged by the burn over the
// whole experiment (the mean 30 s ratio against the allowance), not by one noisy snapshot.
const OBJS: Objective[] = [
  { slo: 'browse-latency', objective: 99, allowed: 0.01 },
  { slo: 'checkout-availability', objective: 99.9, allowed: 0.001 },
];
const series = (slo: string, values: number[]) => values.map((v) => ({ [slo]: v }));

test('one snapshot just over the line in an experiment otherwise within it is not a breach', () => {
  // The busy-machine run's leader kill: 1.2% once, within 1% everywhere else.
  const snaps = series('browse-latency', [0.002, 0.004, 0.012, 0.003, 0.001, 0, 0.002, 0.001]);
  expect(leftObjective(snaps, OBJS)).toEqual([]);
});

test('a sustained breach leaves the objective, and says how far', () => {
  const snaps = series('browse-latency', [0.02, 0.03, 0.025, 0.02, 0.004, 0.002]);
  const [left, ...rest] = leftObjective(snaps, OBJS);
  expect(rest).toEqual([]);
  expect(left!.slo).toBe('browse-latency');
  expect(left!.meanRatio).toBeCloseTo(0.0168, 3);
  expect(left!.worstRatio).toBe(0.03);
  expect(left!.allowed).toBe(0.01);
});

test('a short deep breach also leaves the objective (severity counts, not only length)', () => {
  const snaps = series('checkout-availability', [0, 0, 0.05, 0, 0, 0, 0, 0, 0, 0]);
  expect(leftObjective(snaps, OBJS).map((l) => l.slo)).toEqual(['checkout-availability']);
});

test('a tolerated SLO, and snapshots without traffic, are not judged', () => {
  const snaps: Record<string, number>[] = [
    { 'browse-latency': 0.5, 'checkout-availability': NaN },
    { 'browse-latency': 0.4 },
  ];
  expect(leftObjective(snaps, OBJS, ['browse-latency'])).toEqual([]);
  // No traffic at all (every value NaN) is within, as in the per-snapshot check.
  expect(leftObjective(series('checkout-availability', [NaN, NaN]), OBJS)).toEqual([]);
  expect(leftObjective([], OBJS)).toEqual([]);
});
