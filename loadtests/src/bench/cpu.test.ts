import { parseProcStat, settleWaitMs } from './cpu';

test('host CPU counts user, nice, system, irq and softirq as busy, and steal only in the total', () => {
  //                    user nice system idle iowait irq softirq steal guest guest_nice
  const t = parseProcStat('cpu  100 5 50 800 10 0 5 30 0 0');
  expect(t).toEqual({ busy: 160, total: 1000, steal: 30 });
});

test('a line that is not the cpu summary is refused, not read as zeros', () => {
  expect(() => parseProcStat('cpu0 1 2 3 4 5 6 7 8')).toThrow(/not the cpu line/);
  expect(() => parseProcStat('cpu 1 2 3')).toThrow(/not the cpu line/);
});

test('idle samples wait until the newest lab container has run for the settle time', () => {
  const started = Date.parse('2026-12-01T10:00:00Z');
  expect(settleWaitMs(started, started + 60_000, 5)).toBe(4 * 60_000);
  expect(settleWaitMs(started, started + 6 * 60_000, 5)).toBe(0);
  expect(settleWaitMs(started, started, 0)).toBe(0);
  expect(settleWaitMs(null, started, 5)).toBe(0);
});
