import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Sample } from '../ops/prometheus';
import type { LoadRunObservation } from '../ops/pushed';
import { LOAD_RUN_THRESHOLDS, loadRunTile, RUNNING_WITHIN_SECONDS } from './ops-load-run';

const AT = 1_764_028_800; // 2025-11-25T00:00:00Z
const TESTID = 'peak-2025-11-24T23-50-00-000Z';

const s = (name: string, value: number, labels: Record<string, string> = {}): Sample => ({
  labels: { __name__: name, job: 'loadtest', testid: TESTID, ...labels },
  value,
});

/** A run as the runner pushes it: gauges, and counters per journey. */
function run(
  o: {
    lastPushAt?: number;
    p99?: number;
    journeys?: Record<string, [requests: number, errors: number]>;
  } = {},
): LoadRunObservation {
  const journeys = o.journeys ?? { browse: [9000, 3], cart: [1500, 0], checkout: [500, 0] };
  return {
    testid: TESTID,
    startedAt: AT - 600,
    lastPushAt: o.lastPushAt ?? AT - 4,
    samples: [
      s('push_time_seconds', o.lastPushAt ?? AT - 4),
      s('dhakacart_load_visitors', 150),
      s('dhakacart_load_requests_per_second', 41.5),
      s('dhakacart_load_p99_seconds', o.p99 ?? 0.12),
      ...Object.entries(journeys).flatMap(([sli, [req, err]]) => [
        s('dhakacart_load_requests_total', req, { sli }),
        s('dhakacart_load_errors_total', err, { sli }),
      ]),
    ],
    spark: {
      rps: [
        [AT - 600, 10],
        [AT - 5, 41.5],
      ],
      p99: [
        [AT - 600, 0.2],
        [AT - 5, 0.12],
      ],
    },
  };
}

describe('the load-run tile', () => {
  test('a running run within its thresholds is green with throughput, p99, visitors, errors and sparklines', () => {
    const t = loadRunTile({ ok: true, value: run() }, AT);
    expect(t).toMatchObject({
      status: 'green',
      reasons: [],
      testid: TESTID,
      running: true,
      startedAt: '2025-11-24T23:50:00.000Z',
      lastPushAt: '2025-11-24T23:59:56.000Z',
      visitors: 150,
      requestsPerSecond: 41.5,
      p99Seconds: { value: 0.12, status: 'green' },
      requests: 11000,
      errors: 3,
      spark: {
        rps: [
          [AT - 600, 10],
          [AT - 5, 41.5],
        ],
      },
    });
    expect(t.errorRatio.value).toBeCloseTo(3 / 11000, 10);
    expect(t.errorRatio.status).toBe('green');
    expect(t.journeys.map((j) => [j.sli, j.errorRatio.status, j.maxErrorRate])).toEqual([
      ['browse', 'green', 0.001],
      ['cart', 'green', 0.001],
      ['checkout', 'green', 0.001],
    ]);
  });

  test('a journey over its error threshold turns it red, and says which; the run ended', () => {
    const last = AT - RUNNING_WITHIN_SECONDS - 1;
    const t = loadRunTile(
      {
        ok: true,
        value: run({ lastPushAt: last, journeys: { browse: [9000, 9], checkout: [500, 1] } }),
      },
      AT,
    );
    expect(t.running).toBe(false);
    expect(t.lastPushAt).toBe(new Date(last * 1000).toISOString());
    expect(t.status).toBe('red');
    // 9/9000 is exactly 0.1%: not above the threshold; 1/500 is 0.2%.
    expect(t.journeys.map((j) => [j.sli, j.errorRatio.status])).toEqual([
      ['browse', 'green'],
      ['checkout', 'red'],
    ]);
    expect(t.reasons).toEqual(['checkout errors 0.20% > 0.10%']);
    expect(t.errorRatio.status).toBe('red');
  });

  test('p99 above the strictest journey bound is yellow, above the loosest red', () => {
    const at = (p99: number) => loadRunTile({ ok: true, value: run({ p99 }) }, AT);
    expect([0.3, 0.31, 1, 1.2].map((p) => at(p).p99Seconds.status)).toEqual([
      'green',
      'yellow',
      'yellow',
      'red',
    ]);
    expect(at(0.31)).toMatchObject({ status: 'yellow', reasons: ['p99 310 ms > 300 ms'] });
    expect(at(1.2).reasons).toEqual(['p99 1.20 s > 1.00 s']);
  });

  test('a journey the thresholds do not name is held to the strictest threshold', () => {
    const t = loadRunTile({ ok: true, value: run({ journeys: { search: [1000, 2] } }) }, AT);
    expect(t.journeys[0]).toMatchObject({ sli: 'search', maxErrorRate: 0.001 });
    expect(t.status).toBe('red');
  });

  test('no run, or no answer, is unknown with a one-line reason', () => {
    expect(loadRunTile({ ok: true, value: null }, AT)).toMatchObject({
      status: 'unknown',
      reasons: ['no load run recorded (no dhakacart_load_* series from the Pushgateway)'],
      testid: null,
      journeys: [],
      spark: { rps: [], p99: [] },
    });
    expect(loadRunTile({ ok: false, error: 'instant query: ECONNREFUSED' }, AT).reasons).toEqual([
      'Prometheus did not answer the load-run queries (instant query: ECONNREFUSED)',
    ]);
  });

  test('a run that has not counted a request yet is not red: its error ratio is unknown', () => {
    const t = loadRunTile({ ok: true, value: run({ journeys: { browse: [0, 0] }, p99: 0 }) }, AT);
    expect(t.errorRatio).toEqual({ value: null, status: 'unknown' });
    expect(t.status).toBe('green');
  });

  test("the thresholds are the load tests' own (loadtests/generated/thresholds.json)", () => {
    const dir = dirname(require.resolve('@dhakacart/loadtests/package.json'));
    const generated = JSON.parse(
      readFileSync(join(dir, 'generated', 'thresholds.json'), 'utf8'),
    ) as Record<string, { maxErrorRate?: number; latency?: { maxMs: number } }>;
    expect(LOAD_RUN_THRESHOLDS.maxErrorRate).toEqual(
      Object.fromEntries(
        Object.entries(generated)
          .filter(([, t]) => t.maxErrorRate !== undefined)
          .map(([sli, t]) => [sli, t.maxErrorRate]),
      ),
    );
    const bounds = Object.values(generated).flatMap((t) => (t.latency ? [t.latency.maxMs] : []));
    expect(LOAD_RUN_THRESHOLDS.p99Seconds).toEqual({
      yellow: Math.min(...bounds) / 1000,
      red: Math.max(...bounds) / 1000,
    });
  });
});
