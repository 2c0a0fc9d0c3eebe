// The board's load-run tile (issue 12): the newest load run the Pushgateway holds, running or
// ended, with its throughput, p99, errors and visitors. Pure: the reading comes from
// ../ops/pushed.ts. Its colour is the run's verdict against the load tests' own thresholds.
import { LOAD_SERIES, type LoadRunObservation, type Reading } from '../ops/pushed';
import { finite, pct, worst, type Metric, type Point, type Status } from './ops-colours';

/**
 * The load tests' thresholds (loadtests/generated/thresholds.json, generated from the SLOs; a
 * test keeps the two equal; the api's image does not carry the loadtests workspace).
 * Error ratio per journey: red above its `maxErrorRate`. The runner pushes one p99 for every
 * journey together, so it is held against the journeys' bounds: yellow above the strictest
 * (browse, 300 ms: also the capacity benchmark's), red above the loosest (checkout, 1 s).
 */
export const LOAD_RUN_THRESHOLDS = {
  maxErrorRate: { browse: 0.001, cart: 0.001, checkout: 0.001 } as Record<string, number>,
  p99Seconds: { yellow: 0.3, red: 1 },
} as const;

/** A journey the thresholds do not name is held to the strictest one. */
const maxErrorRateOf = (sli: string): number =>
  LOAD_RUN_THRESHOLDS.maxErrorRate[sli] ??
  Math.min(...Object.values(LOAD_RUN_THRESHOLDS.maxErrorRate));

/** The runner pushes every 5 s and Prometheus scrapes every 15 s: quieter than this, it ended. */
export const RUNNING_WITHIN_SECONDS = 30;

export interface LoadJourney {
  sli: string;
  requests: number;
  errors: number;
  errorRatio: Metric;
  maxErrorRate: number;
}

export interface LoadRunTile {
  status: Status;
  /** Why the colour (or why nothing is known), one line each. */
  reasons: string[];
  testid: string | null;
  /** Still pushing: the last push is under 30 s old. */
  running: boolean;
  startedAt: string | null;
  /** The last push: "now" while running, when it ended otherwise. */
  lastPushAt: string | null;
  visitors: number | null;
  /** Requests per second over the runner's last 5 s. */
  requestsPerSecond: number | null;
  /** p99 latency over the runner's last 5 s, every journey together. */
  p99Seconds: Metric;
  requests: number | null;
  errors: number | null;
  /** Errors over requests for the whole run so far, every journey together. */
  errorRatio: Metric;
  journeys: LoadJourney[];
  spark: { rps: Point[]; p99: Point[] };
}

const iso = (s: number) => new Date(s * 1000).toISOString();
const ms = (s: number) => (s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(2)} s`);

function unknown(reason: string): LoadRunTile {
  return {
    status: 'unknown',
    reasons: [reason],
    testid: null,
    running: false,
    startedAt: null,
    lastPushAt: null,
    visitors: null,
    requestsPerSecond: null,
    p99Seconds: { value: null, status: 'unknown' },
    requests: null,
    errors: null,
    errorRatio: { value: null, status: 'unknown' },
    journeys: [],
    spark: { rps: [], p99: [] },
  };
}

export function loadRunTile(r: Reading<LoadRunObservation | null>, at: number): LoadRunTile {
  if (!r.ok) return unknown(`Prometheus did not answer the load-run queries (${r.error})`);
  const run = r.value;
  if (!run)
    return unknown('no load run recorded (no dhakacart_load_* series from the Pushgateway)');

  const gauge = (name: string) =>
    finite(run.samples.find((s) => s.labels.__name__ === name)?.value);
  const bySli = new Map<string, { requests: number; errors: number }>();
  for (const s of run.samples) {
    const name = s.labels.__name__;
    const sli = s.labels.sli;
    const v = finite(s.value);
    if (!sli || v === null) continue;
    const j = bySli.get(sli) ?? { requests: 0, errors: 0 };
    if (name === LOAD_SERIES.requests) j.requests += v;
    else if (name === LOAD_SERIES.errors) j.errors += v;
    else continue;
    bySli.set(sli, j);
  }

  const reasons: string[] = [];
  const journeys: LoadJourney[] = [...bySli.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sli, j]) => {
      const max = maxErrorRateOf(sli);
      const ratio = j.requests > 0 ? j.errors / j.requests : null;
      const status: Status = ratio === null ? 'unknown' : ratio > max ? 'red' : 'green';
      if (status === 'red') reasons.push(`${sli} errors ${pct(ratio!, 2)} > ${pct(max, 2)}`);
      return {
        sli,
        requests: j.requests,
        errors: j.errors,
        errorRatio: { value: ratio, status },
        maxErrorRate: max,
      };
    });
  const requests = journeys.length ? journeys.reduce((a, j) => a + j.requests, 0) : null;
  const errors = journeys.length ? journeys.reduce((a, j) => a + j.errors, 0) : null;
  const errorRatio: Metric = {
    value: requests ? errors! / requests : null,
    status: worst(...journeys.map((j) => j.errorRatio.status)),
  };

  const p99 = gauge(LOAD_SERIES.p99Seconds);
  const band = LOAD_RUN_THRESHOLDS.p99Seconds;
  const p99Status: Status =
    p99 === null ? 'unknown' : p99 > band.red ? 'red' : p99 > band.yellow ? 'yellow' : 'green';
  if (p99 !== null && p99Status !== 'green')
    reasons.push(`p99 ${ms(p99)} > ${ms(p99Status === 'red' ? band.red : band.yellow)}`);

  return {
    status: worst(errorRatio.status, p99Status),
    reasons,
    testid: run.testid,
    running: at - run.lastPushAt <= RUNNING_WITHIN_SECONDS,
    startedAt: run.startedAt === null ? null : iso(run.startedAt),
    lastPushAt: iso(run.lastPushAt),
    visitors: gauge(LOAD_SERIES.visitors),
    requestsPerSecond: gauge(LOAD_SERIES.requestsPerSecond),
    p99Seconds: { value: p99, status: p99Status },
    requests,
    errors,
    errorRatio,
    journeys,
    spark: run.spark,
  };
}
