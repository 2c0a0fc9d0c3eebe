import type { Sample } from '../ops/prometheus';
import { gamedayTile } from './ops-gameday';

const LAST = 1_764_028_800; // 2025-11-25T00:00:00Z

const s = (name: string, value: number, labels: Record<string, string> = {}): Sample => ({
  labels: { __name__: name, job: 'gameday', ...labels },
  value,
});

/** What chaos/src/gameday/run.ts publish() pushes for one run. */
function pushed(
  passed: boolean,
  experiments: [name: string, passed: boolean, burned: number, recovery: number][],
): Sample[] {
  return [
    s('dhakacart_gameday_last_run_timestamp_seconds', LAST),
    s('dhakacart_gameday_passed', passed ? 1 : 0, { profile: 'quick' }),
    ...experiments.flatMap(([experiment, ok, burned, recovery]) => [
      s('dhakacart_gameday_experiment_passed', ok ? 1 : 0, { experiment }),
      s('dhakacart_gameday_experiment_budget_burned_ratio', burned, { experiment }),
      s('dhakacart_gameday_experiment_recovery_seconds', recovery, { experiment }),
    ]),
  ];
}

describe('the game-day tile', () => {
  test('a passed run is green with its time, profile, total burn and each experiment', () => {
    const t = gamedayTile({
      ok: true,
      value: pushed(true, [
        ['redis-kill', true, 0.0004, 12],
        ['api-kill', true, 0.0021, 31],
      ]),
    });
    expect(t).toEqual({
      status: 'green',
      reasons: [],
      lastRunAt: '2025-11-25T00:00:00.000Z',
      profile: 'quick',
      passed: true,
      budgetBurned: expect.closeTo(0.0025, 10),
      experiments: [
        {
          name: 'api-kill',
          passed: true,
          status: 'green',
          budgetBurned: 0.0021,
          recoverySeconds: 31,
        },
        {
          name: 'redis-kill',
          passed: true,
          status: 'green',
          budgetBurned: 0.0004,
          recoverySeconds: 12,
        },
      ],
    });
  });

  test('a failed run is red and names the failed experiments; a recovery that never came is null', () => {
    const t = gamedayTile({
      ok: true,
      value: pushed(false, [
        ['api-kill', true, 0.002, 30],
        ['zone-loss', false, 0.08, NaN],
        ['pg-failover', false, 0.01, 200],
      ]),
    });
    expect(t.status).toBe('red');
    expect(t.passed).toBe(false);
    expect(t.reasons).toEqual([
      'the last game day failed: 2 of 3 experiments (pg-failover, zone-loss)',
    ]);
    expect(t.experiments.find((x) => x.name === 'zone-loss')).toEqual({
      name: 'zone-loss',
      passed: false,
      status: 'red',
      budgetBurned: 0.08,
      recoverySeconds: null,
    });
  });

  test('no game day, or no answer, is unknown with a one-line reason', () => {
    expect(gamedayTile({ ok: true, value: [] })).toEqual({
      status: 'unknown',
      reasons: ['no game day recorded (no dhakacart_gameday_* series from the Pushgateway)'],
      lastRunAt: null,
      profile: null,
      passed: null,
      budgetBurned: null,
      experiments: [],
    });
    expect(gamedayTile({ ok: false, error: 'instant query: HTTP 503' }).reasons).toEqual([
      'Prometheus did not answer the game-day query (instant query: HTTP 503)',
    ]);
  });

  test('without the run verdict the experiments decide, and say so', () => {
    const t = gamedayTile({
      ok: true,
      value: pushed(true, [['api-kill', true, 0.001, 20]]).filter(
        (x) => x.labels.__name__ !== 'dhakacart_gameday_passed',
      ),
    });
    expect([t.status, t.passed, t.reasons]).toEqual([
      'green',
      null,
      ['the last game day has no verdict'],
    ]);
  });
});
