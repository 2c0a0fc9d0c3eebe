import { spawn } from 'node:child_process';
import {
  parseProcStat,
  procStatTicks,
  reapedChildrenCpuSeconds,
  settleWaitMs,
  waitForQuietHost,
  type CpuTimes,
} from './cpu';

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

/** A host whose busy share over each 1 s step is the next of `shares` (100 ticks a step). */
function host(shares: number[]) {
  let busy = 0;
  let total = 0;
  let i = 0;
  return () => {
    const t: CpuTimes = { busy, total, steal: 0 };
    busy += Math.round(100 * (shares[Math.min(i, shares.length - 1)] ?? 0));
    total += 100;
    i++;
    return t;
  };
}
const noPause = () => Promise.resolve();

test('a stage after a redeploy starts once the host has been quiet for the whole window, not at the first quiet second', async () => {
  // Busy, one quiet second, busy again, then quiet for good from the 5th step.
  const w = await waitForQuietHost(
    { belowShare: 0.3, windowSeconds: 3, maxSeconds: 60 },
    host([0.9, 0.9, 0.2, 0.8, 0.2, 0.2, 0.2, 0.2]),
    noPause,
  );
  expect(w).toEqual({ waitedSeconds: 7, settled: true, lastShare: 0.2 });
});

test('a host that never quietens is waited for at most the bound, and says it did not settle', async () => {
  const w = await waitForQuietHost(
    { belowShare: 0.3, windowSeconds: 3, maxSeconds: 10 },
    host([0.95]),
    noPause,
  );
  expect(w).toEqual({ waitedSeconds: 10, settled: false, lastShare: 0.95 });
});

test("a child's CPU is counted once it has ended, and only its busy time, not its wall time", async () => {
  const run = (script: string) =>
    new Promise<void>((resolve) =>
      spawn(process.execPath, ['-e', script]).on('exit', () => resolve()),
    );
  const before = reapedChildrenCpuSeconds();
  // 600 ms of its own CPU (counted by CPU, not by clock: a busy machine only slows it), then
  // 2 s asleep.
  await run(
    'const c = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };' +
      'while (c() < 600); setTimeout(() => {}, 2000);',
  );
  const used = reapedChildrenCpuSeconds() - before;
  expect(used).toBeGreaterThanOrEqual(0.55);
  expect(used).toBeLessThan(1.8);
});

test("a process's own times are fields 14 and 15 of its stat line, its reaped children's 16 and 17, in hundredths", () => {
  // pid, comm (with spaces and parentheses), state, ppid, pgrp, session, tty, tpgid, flags,
  // minflt, cminflt, majflt, cmajflt, utime 700, stime 300, cutime 250, cstime 50, ...
  const stat = '42 (a (b) c) S 1 42 42 0 -1 4194304 10 20 0 0 700 300 250 50 20 0 1 0';
  expect(reapedChildrenCpuSeconds(stat)).toBe(3);
  expect(() => reapedChildrenCpuSeconds('42 (x) S')).toThrow(/cutime/);
  expect(procStatTicks(stat)).toEqual({ utime: 700, stime: 300, cutime: 250, cstime: 50 });
});
