import { readFileSync } from 'node:fs';
import {
  busyCoresBetween,
  measureBusyCores,
  MIN_VISITORS,
  parseProcStat,
  sizeVisitors,
  TARGET_BUSY_SHARE,
} from './sizing';

const stat = (user: number, idle: number, iowait = 0) =>
  `cpu  ${user} 0 0 ${idle} ${iowait} 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\nintr 1\n`;

describe("the game day's load sized to the host", () => {
  test("reads this host's /proc/stat: every core, and busy time below the total", () => {
    const t = parseProcStat(readFileSync('/proc/stat', 'utf8'));
    expect(t.cores).toBeGreaterThan(0);
    expect(t.busy).toBeGreaterThan(0);
    expect(t.busy).toBeLessThan(t.total);
  });

  test('counts idle and iowait as free, everything else as busy, in cores', () => {
    // Two cores, 400 jiffies: 100 user, 200 idle, 100 iowait -> a quarter busy -> 0.5 core.
    expect(busyCoresBetween(parseProcStat(stat(0, 0)), parseProcStat(stat(100, 200, 100)))).toBe(
      0.5,
    );
  });

  test('refuses a /proc/stat it does not understand, and two readings with no time between', () => {
    expect(() => parseProcStat('intr 1\n')).toThrow(/no "cpu" line/);
    expect(() => parseProcStat('cpu  1 x 3 4\ncpu0 1 2 3 4\n')).toThrow(/not understood/);
    expect(() => busyCoresBetween(parseProcStat(stat(1, 1)), parseProcStat(stat(1, 1)))).toThrow(
      /no CPU time passed/,
    );
  });

  test('measures the busy cores over a real interval of this host', async () => {
    const m = await measureBusyCores(0.3);
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
