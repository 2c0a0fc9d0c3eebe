import type { Thresholds } from '../model/thresholds';

/**
 * One run's figures, from Vegeta's per-request results and Artillery's per-period summaries,
 * merged into 5 s buckets per SLO journey (`sli`). Errors are what the SLOs count: a 5xx or no
 * answer at all. Other 4xx (a sold-out item's 409, say) are counted apart.
 */
export const BUCKET_MS = 5000;

interface SliCounts {
  requests: number;
  errors: number;
  client4xx: number;
  /** Vegeta's latencies (ms), every request. */
  latencies: number[];
  /** Artillery's per-period percentiles (ms) with the period's request count. */
  periodP99: { p50: number; p95: number; p99: number; count: number }[];
}

const empty = (): SliCounts => ({
  requests: 0,
  errors: 0,
  client4xx: 0,
  latencies: [],
  periodP99: [],
});

export class RunAggregate {
  readonly buckets = new Map<number, Map<string, SliCounts>>();
  private readonly all = new Map<string, SliCounts>();

  constructor(readonly startedAt: number) {}

  private slot(at: number, sli: string): SliCounts[] {
    const b = Math.max(0, Math.floor((at - this.startedAt) / BUCKET_MS));
    let bucket = this.buckets.get(b);
    if (!bucket) this.buckets.set(b, (bucket = new Map()));
    let c = bucket.get(sli);
    if (!c) bucket.set(sli, (c = empty()));
    let t = this.all.get(sli);
    if (!t) this.all.set(sli, (t = empty()));
    return [c, t];
  }

  /** One request's result (Vegeta). `code` 0 means no answer. */
  addRequest(at: number, sli: string, code: number, latencyMs: number): void {
    for (const c of this.slot(at, sli)) {
      c.requests++;
      if (code === 0 || code >= 500) c.errors++;
      else if (code >= 400) c.client4xx++;
      c.latencies.push(latencyMs);
    }
  }

  /** One Artillery period's counts for an sli: status codes, transport errors and its p99. */
  addPeriod(
    at: number,
    sli: string,
    codes: Record<string, number>,
    transportErrors: number,
    pct: { p50?: number; p95?: number; p99?: number } | undefined,
  ): void {
    let count = transportErrors;
    let errors = transportErrors;
    let client4xx = 0;
    for (const [code, n] of Object.entries(codes)) {
      count += n;
      const c = Number(code);
      if (!c || c >= 500) errors += n;
      else if (c >= 400) client4xx += n;
    }
    if (!count) return;
    for (const c of this.slot(at, sli)) {
      c.requests += count;
      c.errors += errors;
      c.client4xx += client4xx;
      if (pct?.p99 !== undefined)
        c.periodP99.push({ p50: pct.p50 ?? pct.p99, p95: pct.p95 ?? pct.p99, p99: pct.p99, count });
    }
  }

  /** The totals per sli, and over everything. */
  summary(thresholds: Thresholds, seconds: number): RunSummary {
    const journeys: Record<string, SliSummary> = {};
    for (const [sli, c] of [...this.all].sort(([a], [b]) => a.localeCompare(b)))
      journeys[sli] = summarise(c, seconds, thresholds[sli]);
    const list = Object.values(journeys);
    const requests = list.reduce((a, j) => a + j.requests, 0);
    const errors = list.reduce((a, j) => a + j.errors, 0);
    return {
      requests,
      errors,
      failedRate: requests ? errors / requests : 0,
      requestsPerSecond: Math.round((requests / Math.max(1, seconds)) * 10) / 10,
      // Merging percentiles exactly needs the raw values of both tools; the worst journey's
      // p99 is reported, which can only overstate the whole run's.
      p99Ms: list.reduce((a, j) => Math.max(a, j.p99Ms), 0),
      journeys,
      thresholdsPassed: list.every((j) => j.passed),
    };
  }

  /** The timeline for charts: per bucket, requests/s, errors and p50/p99 over all slis. */
  timeline(): TimelinePoint[] {
    const out: TimelinePoint[] = [];
    const last = Math.max(-1, ...this.buckets.keys());
    for (let b = 0; b <= last; b++) {
      const bucket = this.buckets.get(b) ?? new Map<string, SliCounts>();
      const merged = empty();
      for (const c of bucket.values()) {
        merged.requests += c.requests;
        merged.errors += c.errors;
        merged.latencies.push(...c.latencies);
        merged.periodP99.push(...c.periodP99);
      }
      out.push({
        t: (b * BUCKET_MS) / 1000,
        rps: Math.round((merged.requests / (BUCKET_MS / 1000)) * 10) / 10,
        errors: merged.errors,
        p50Ms: round(percentile(merged.latencies, 50)),
        p99Ms: round(
          Math.max(percentile(merged.latencies, 99), ...merged.periodP99.map((p) => p.p99), 0),
        ),
      });
    }
    return out;
  }
}

export interface SliSummary {
  requests: number;
  errors: number;
  client4xx: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  threshold?: { maxErrorRate?: number; latency?: { percentile: number; maxMs: number } };
  /** Why it failed its threshold, if it did. */
  breaches: string[];
  passed: boolean;
}

export interface RunSummary {
  requests: number;
  errors: number;
  failedRate: number;
  requestsPerSecond: number;
  p99Ms: number;
  journeys: Record<string, SliSummary>;
  thresholdsPassed: boolean;
}

export interface TimelinePoint {
  t: number;
  rps: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Nearest-rank percentile (0 for no values). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

function summarise(
  c: SliCounts,
  seconds: number,
  threshold: Thresholds[string] | undefined,
): SliSummary {
  // Artillery reports percentiles per period, not raw values: the worst period's stands in.
  const artilleryP = (fallback: number, k: 'p50' | 'p95' | 'p99' = 'p99') =>
    c.periodP99.length ? Math.max(fallback, ...c.periodP99.map((p) => p[k])) : fallback;
  const p99Ms = round(artilleryP(percentile(c.latencies, 99)));
  const errorRate = c.requests ? c.errors / c.requests : 0;
  const breaches: string[] = [];
  if (threshold?.maxErrorRate !== undefined && errorRate > threshold.maxErrorRate)
    breaches.push(
      `errors ${(errorRate * 100).toFixed(3)}% > ${(threshold.maxErrorRate * 100).toFixed(3)}%`,
    );
  if (threshold?.latency) {
    const p = threshold.latency.percentile;
    const value = p === 99 ? p99Ms : round(artilleryP(percentile(c.latencies, p)));
    if (value > threshold.latency.maxMs)
      breaches.push(`p${p} ${value} ms > ${threshold.latency.maxMs} ms`);
  }
  return {
    requests: c.requests,
    errors: c.errors,
    client4xx: c.client4xx,
    errorRate,
    p50Ms: round(artilleryP(percentile(c.latencies, 50), 'p50')),
    p95Ms: round(artilleryP(percentile(c.latencies, 95), 'p95')),
    p99Ms,
    requestsPerSecond: Math.round((c.requests / Math.max(1, seconds)) * 10) / 10,
    threshold: threshold && { maxErrorRate: threshold.maxErrorRate, latency: threshold.latency },
    breaches,
    passed: breaches.length === 0,
  };
}
