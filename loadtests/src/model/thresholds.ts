import type { SloModel } from '@dhakacart/slo';

/**
 * Pass/fail thresholds of a load run, per SLO journey, generated from slo/specs: the error
 * objective of each availability SLO and the latency bound of each latency SLO. Committed as
 * loadtests/generated/thresholds.json and regenerated and diffed by `npm run check`.
 */
export interface JourneyThreshold {
  /** Most failed requests allowed, as a share (e.g. 0.001 for 99.9%). */
  maxErrorRate?: number;
  /** A latency bound: `percentile` of requests within `maxMs`. */
  latency?: { percentile: number; maxMs: number };
  /** The SLOs the threshold came from. */
  slos: string[];
}

export type Thresholds = Record<string, JourneyThreshold>;

/** The bucket bound of a latency SLI's "good" count: `le="0.3"` is 300 ms. */
function latencyBoundMs(slo: SloModel): number {
  const q = slo.sli.kind === 'events' ? slo.sli.errorQuery : slo.sli.errorRatioQuery;
  const le = /le="([0-9.]+)"/.exec(q)?.[1];
  if (!le) throw new Error(`latency SLO ${slo.name} names no le="..." bucket in its SLI`);
  return Math.round(Number(le) * 1000);
}

export function thresholdsFromSlos(slos: SloModel[]): Thresholds {
  const out: Thresholds = {};
  for (const slo of [...slos].sort((a, b) => a.name.localeCompare(b.name))) {
    const journey = slo.labels.journey;
    const category = slo.labels.category;
    if (!journey || !category) continue;
    const t = (out[journey] ??= { slos: [] });
    t.slos.push(slo.name);
    if (category === 'availability') {
      const rate = Math.round((1 - slo.objective / 100) * 1e6) / 1e6;
      t.maxErrorRate = t.maxErrorRate === undefined ? rate : Math.min(t.maxErrorRate, rate);
    } else if (category === 'latency') {
      t.latency = { percentile: slo.objective, maxMs: latencyBoundMs(slo) };
    }
  }
  return out;
}

/** The capacity benchmark's own bound, from the guide: p99 ≤ 300 ms and errors ≤ 0.1%. */
export const CAPACITY_THRESHOLD: Required<Omit<JourneyThreshold, 'slos'>> = {
  maxErrorRate: 0.001,
  latency: { percentile: 99, maxMs: 300 },
};
