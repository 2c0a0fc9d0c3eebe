/**
 * The quick game day against the running lab, through the real command (`npm run gameday --
 * --quick --json`): at least six experiments under load, including an api replica, the database
 * leader, the Redis primary and a whole zone, each hypothesis checked, the data's invariants
 * checked after every fault. This replaces the lab's separate failure tests.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@dhakacart/lab-client';

const exec = promisify(execFile);

test(
  'the quick game day: every hypothesis holds, the data stays clean, and the report is written',
  async () => {
    const started = Date.now();
    const r = await exec('bash', [join(REPO_ROOT, 'scripts', 'gameday.sh'), '--quick', '--json'], {
      cwd: REPO_ROOT,
      maxBuffer: 32 * 1024 * 1024,
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    const code = 'code' in r && typeof r.code === 'number' ? r.code : 0;
    let out: {
      passed: boolean;
      aborted: string | null;
      experiments: {
        name: string;
        passed: boolean;
        recoverySeconds: number | null;
        budgetBurned: number;
        failures: string[];
        alerts: { fired: string[] };
      }[];
      invariants: Record<string, number | boolean> | null;
      sizing: { visitors: number; requestedVisitors: number; reason: string } | null;
      sizingLoads: { visitors: number; requests: number }[];
      report: string;
    };
    try {
      out = JSON.parse(r.stdout);
    } catch {
      throw new Error(`no JSON from the game day (exit ${code}):\n${r.stderr.slice(-4000)}`);
    }
    const minutes = (Date.now() - started) / 60_000;
    console.log(
      `quick game day: ${minutes.toFixed(1)} min\n${out.experiments
        .map(
          (x) =>
            `  ${x.passed ? 'PASS' : 'FAIL'} ${x.name.padEnd(22)} recovered ${x.recoverySeconds ?? '∞'} s, budget ${(x.budgetBurned * 100).toFixed(3)}%, alerts ${x.alerts.fired.join(',') || '-'}${x.failures.length ? `  ${x.failures.join('; ')}` : ''}`,
        )
        .join(
          '\n',
        )}\n  invariants ${JSON.stringify(out.invariants)}\n  load ${out.sizing ? `${out.sizing.visitors} visitors: ${out.sizing.reason}` : 'not sized'}\n  report ${out.report}`,
    );
    if (code !== 0) console.log(r.stderr.slice(-6000));
    expect(out.aborted).toBeNull();
    // Sized to the host's headroom (no --visitors given), and never above the 150 asked for.
    expect(out.sizing?.visitors).toBeGreaterThan(0);
    expect(out.sizing!.visitors).toBeLessThanOrEqual(150);
    // A load the sizing lowered is reported apart, with the requests it sent; none if it kept 150.
    if (out.sizing!.visitors === 150) expect(out.sizingLoads).toEqual([]);
    else {
      expect(out.sizingLoads[0]).toMatchObject({ visitors: 150 });
      for (const l of out.sizingLoads) expect(l.requests).toBeGreaterThan(0);
    }
    const names = out.experiments.map((x) => x.name);
    expect(names.length).toBeGreaterThanOrEqual(6);
    expect(names).toEqual(
      expect.arrayContaining([
        'api-kill',
        'patroni-leader-kill',
        'redis-primary-kill',
        'zone-loss',
      ]),
    );
    expect(
      out.experiments.filter((x) => !x.passed).map((x) => `${x.name}: ${x.failures.join('; ')}`),
    ).toEqual([]);
    expect(out.invariants).toMatchObject({
      lost: 0,
      oversold: 0,
      duplicates: 0,
      stranded: 0,
      unresolved: 0,
      passed: true,
    });
    expect(existsSync(out.report)).toBe(true);
    expect(code).toBe(0);
  },
  20 * 60_000,
);
