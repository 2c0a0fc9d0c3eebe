import {
  busyCoresBetween,
  measureBusyCores,
  MIN_VISITORS,
  sizeVisitors,
  TARGET_BUSY_SHARE,
} from './sizing';

const times = (busy: number, total: number, steal = 0) => ({ busy, total, steal });

describe("the game day's load sized to the host", () => {
  test('counts what is not idle as busy, in cores', () => {
    // Two cores, 400 ticks, 100 of them busy -> a quarter busy -> 0.5 core.
    expect(busyCoresBetween(times(0, 0), times(100, 400), 2)).toBe(0.5);
  });

  test('counts steal as busy: a core the hypervisor gives away is no headroom', () => {
    // 400 ticks: 100 busy, 100 stolen -> half of two cores.
    expect(busyCoresBetween(times(0, 0), times(100, 400, 100), 2)).toBe(1);
  });

  test('refuses two readings with no time between them', () => {
    expect(() => busyCoresBetween(times(1, 1), times(1, 1), 2)).toThrow(/no CPU time passed/);
  });

  test('measures the busy cores over a real interval of this host', async () => {
    const m = await measureBusyCores(0.3);
    expect(m.cores).toBeGreaterThan(0);
    expect(m.busyCores).toBeGreaterThanOrEqual(0);
    expect(m.busyCores).toBeLessThanOrEqual(m.cores);
  });

  test('keeps the visitors asked for when the load leaves a quarter of the host free', () => {
    const s = sizeVisitors({
      cores: 2,
      baselineBusyCores: 0.2,
      loadedBusyCores: 1.0,
      requestedVisitors: 150,
    });
    expect(s.visitors).toBe(150);
    expect(s.targetBusyCores).toBe(2 * TARGET_BUSY_SHARE);
    expect(s.reason).toMatch(/150 visitors kept/);
  });

  test('lowers the visitors to what fits under the target, from the measured cost of one', () => {
    // A burner holds one core: 1.2 busy with no load, 1.9 with 150 visitors (0.7 / 150 each).
    const s = sizeVisitors({
      cores: 2,
      baselineBusyCores: 1.2,
      loadedBusyCores: 1.9,
      requestedVisitors: 150,
    });
    expect(s.coresPerVisitor).toBeCloseTo(0.7 / 150, 5);
    expect(s.visitors).toBe(Math.floor((1.5 - 1.2) / (0.7 / 150)));
    expect(s.visitors).toBeLessThan(150);
    expect(1.2 + s.visitors * (0.7 / 150)).toBeLessThanOrEqual(1.5);
  });

  test('never goes below the fewest visitors the SLIs can judge, and says there is no headroom', () => {
    const s = sizeVisitors({
      cores: 2,
      baselineBusyCores: 1.6,
      loadedBusyCores: 2,
      requestedVisitors: 150,
    });
    expect(s.visitors).toBe(MIN_VISITORS);
    expect(s.reason).toMatch(/no headroom/);
    expect(s.reason).toMatch(/saturated/);
  });

  test('never raises the visitors above those asked for', () => {
    const s = sizeVisitors({
      cores: 2,
      baselineBusyCores: 0.1,
      loadedBusyCores: 1.55,
      requestedVisitors: 30,
    });
    expect(s.visitors).toBe(30);
  });

  test('after a resize, keeps a load a little over the target (the slack) instead of restarting it', () => {
    const m = { cores: 2, baselineBusyCores: 1.24, loadedBusyCores: 1.52, requestedVisitors: 82 };
    expect(sizeVisitors(m).visitors).toBeLessThan(82);
    expect(sizeVisitors({ ...m, slack: 0.05 }).visitors).toBe(82);
    expect(sizeVisitors({ ...m, loadedBusyCores: 1.7, slack: 0.05 }).visitors).toBeLessThan(82);
  });
});
