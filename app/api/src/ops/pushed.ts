// What short-lived jobs push to the Pushgateway, for the board's load-run and game-day tiles.
// Prometheus scrapes the Pushgateway with honor_labels, so each series keeps the pushing job's
// `job` and grouping labels (infra/lab/monitoring/prometheus.yml, job `pushgateway`):
//   - the load runner (loadtests/src/run/runner.ts): job `loadtest`, one group per `testid`,
//     replaced every 5 s while the run lasts and left as it was when it ends;
//   - the game day (chaos/src/gameday/run.ts publish()): job `gameday`, one group, replaced by
//     each run.
// The Pushgateway adds `push_time_seconds` to every group: the time of its last push.
// As in ./queries.ts, the expressions are fixed: nothing is interpolated into them. Only the
// evaluation times come from an earlier answer (the newest run's first and last push).
import type { PrometheusClient, Sample } from './prometheus';

/** The series the board reads, by the name each pusher gives them (tests keep them in step). */
export const LOAD_SERIES = {
  job: 'loadtest',
  visitors: 'dhakacart_load_visitors',
  requestsPerSecond: 'dhakacart_load_requests_per_second',
  p99Seconds: 'dhakacart_load_p99_seconds',
  requests: 'dhakacart_load_requests_total',
  errors: 'dhakacart_load_errors_total',
} as const;
export const GAMEDAY_SERIES = {
  job: 'gameday',
  lastRun: 'dhakacart_gameday_last_run_timestamp_seconds',
  passed: 'dhakacart_gameday_passed',
  experimentPassed: 'dhakacart_gameday_experiment_passed',
  experimentBurn: 'dhakacart_gameday_experiment_budget_burned_ratio',
  experimentRecovery: 'dhakacart_gameday_experiment_recovery_seconds',
} as const;

export const PUSHED_QUERIES = {
  /** Every load run the Pushgateway holds: gauges, counters and the last push time. */
  loadRuns: '{job="loadtest",__name__=~"dhakacart_load_.+|push_time_seconds"}',
  /** Each run's first push in the 6 h before the evaluation time (push_time only grows). */
  loadRunStarts: 'min by (testid) (min_over_time(push_time_seconds{job="loadtest"}[6h]))',
  /** Throughput of the run that pushed last, at each step (other runs' frozen groups left out). */
  loadRps:
    'max by (testid) (dhakacart_load_requests_per_second{job="loadtest"}) and on (testid) topk(1, max by (testid) (push_time_seconds{job="loadtest"}))',
  loadP99:
    'max by (testid) (dhakacart_load_p99_seconds{job="loadtest"}) and on (testid) topk(1, max by (testid) (push_time_seconds{job="loadtest"}))',
  /** The last game day: its time, verdict per profile, and per experiment. */
  gameday: '{job="gameday",__name__=~"dhakacart_gameday_.+"}',
} as const;

/** The longest run the sparklines reach back over (the 6 h of `loadRunStarts`). */
export const LOAD_SPARK_MAX_SECONDS = 6 * 3600;
/** At most this many points per sparkline; never finer than the runner's 5 s push interval. */
export const LOAD_SPARK_MAX_POINTS = 240;
export const LOAD_SPARK_MIN_STEP_SECONDS = 5;

/** A tile's reading: what Prometheus said, or why it could not be asked. */
export type Reading<T> = { ok: true; value: T } | { ok: false; error: string };

export type Point = [number, number];

export interface LoadRunObservation {
  testid: string;
  /** Unix seconds of the first push seen (null when older than 6 h before the last one). */
  startedAt: number | null;
  /** Unix seconds of the last push. */
  lastPushAt: number;
  /** The run's own series, as Prometheus holds them now. */
  samples: Sample[];
  spark: { rps: Point[]; p99: Point[] };
}

const finitePoints = (p: Point[]) => p.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));

/**
 * The newest load run (the group pushed last), or null when the Pushgateway holds none. Rejects
 * with the client's error when Prometheus does not answer; the caller turns that into a reason.
 */
export async function readLoadRun(
  client: PrometheusClient,
  at: number,
): Promise<LoadRunObservation | null> {
  const all = await client.query(PUSHED_QUERIES.loadRuns, at);
  let newest: { testid: string; lastPushAt: number } | null = null;
  for (const s of all) {
    const testid = s.labels.testid;
    if (s.labels.__name__ !== 'push_time_seconds' || !testid || !Number.isFinite(s.value)) continue;
    if (
      !newest ||
      s.value > newest.lastPushAt ||
      (s.value === newest.lastPushAt && testid > newest.testid)
    )
      newest = { testid, lastPushAt: s.value };
  }
  if (!newest) return null;
  const { testid, lastPushAt } = newest;
  const starts = await client.query(PUSHED_QUERIES.loadRunStarts, lastPushAt);
  const first = starts.find((s) => s.labels.testid === testid)?.value;
  const startedAt =
    first !== undefined && Number.isFinite(first) && lastPushAt - first < LOAD_SPARK_MAX_SECONDS
      ? first
      : null;
  const from = startedAt ?? lastPushAt - LOAD_SPARK_MAX_SECONDS;
  const step = Math.max(
    LOAD_SPARK_MIN_STEP_SECONDS,
    Math.ceil((lastPushAt - from) / LOAD_SPARK_MAX_POINTS),
  );
  // Ends at the last push: after it the Pushgateway keeps serving the run's last values.
  const [rps, p99] = await Promise.all(
    [PUSHED_QUERIES.loadRps, PUSHED_QUERIES.loadP99].map((q) =>
      client.queryRange(q, from, lastPushAt, step),
    ),
  );
  const ofRun = (series: { labels: Record<string, string>; points: Point[] }[]) =>
    finitePoints(series.find((s) => s.labels.testid === testid)?.points ?? []);
  return {
    testid,
    startedAt,
    lastPushAt,
    samples: all.filter((s) => s.labels.testid === testid),
    spark: { rps: ofRun(rps!), p99: ofRun(p99!) },
  };
}

/** The last game day's series (empty when none was pushed). */
export function readGameday(client: PrometheusClient, at: number): Promise<Sample[]> {
  return client.query(PUSHED_QUERIES.gameday, at);
}

/** Never rejects: a failure becomes the reading's error, in one line. */
export async function settle<T>(p: Promise<T>): Promise<Reading<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, error: ((e as Error).message ?? String(e)).split('\n')[0]!.slice(0, 200) };
  }
}
