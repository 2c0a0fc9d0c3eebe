import { join } from 'node:path';
import { instant, instantAt, rangeQuery } from '@dhakacart/lab-client';
import { loadSpecs, SLO_ROOT } from '@dhakacart/slo';

/**
 * The game day reads the SLOs where the customer meets the system, over 30 s windows (the
 * recording rules `slo:sli_error:ratio_rate30s`, one per SLO), and turns an experiment's errors
 * into the share of the 30-day error budget they cost.
 */
export const SHORT_WINDOW_RULE = 'slo:sli_error:ratio_rate30s';
/** The game day reads the SLIs this often, waiting for a steady state or a recovery. */
export const SNAPSHOT_EVERY_SECONDS = 5;
export const MONTH_SECONDS = 30 * 24 * 3600;

export interface Objective {
  slo: string;
  objective: number;
  /** Errors the objective allows, as a ratio (0.001 for 99.9%). */
  allowed: number;
}

export function objectives(): Objective[] {
  return loadSpecs(join(SLO_ROOT, 'specs')).map((s) => ({
    slo: s.name,
    objective: s.objective,
    allowed: 1 - s.objective / 100,
  }));
}

/** Each SLO's error ratio over the last 30 s; NaN where no request was seen. */
export async function snapshot(): Promise<Record<string, number>> {
  const rows = await instant(SHORT_WINDOW_RULE);
  const out: Record<string, number> = {};
  for (const r of rows) if (r.metric.sloth_slo) out[r.metric.sloth_slo] = r.value;
  return out;
}

/** The SLOs out of their objective in a snapshot (no traffic counts as within). */
export function breaches(
  snap: Record<string, number>,
  objs: Objective[],
  tolerated: string[] = [],
): { slo: string; ratio: number; allowed: number }[] {
  return objs
    .filter((o) => !tolerated.includes(o.slo))
    .map((o) => ({ slo: o.slo, ratio: snap[o.slo] ?? NaN, allowed: o.allowed }))
    .filter((b) => Number.isFinite(b.ratio) && b.ratio > b.allowed * 1.0000001);
}

/** A ratio as a percentage for people (0.0123 -> `1.230%`). */
export const pct = (x: number, digits = 3) => `${(x * 100).toFixed(digits)}%`;

/** An SLO an experiment was not allowed to breach, and how far it went. */
export interface LeftObjective {
  slo: string;
  /** The mean of its 30 s error ratios over the experiment's snapshots. */
  meanRatio: number;
  /** The worst single 30 s ratio seen. */
  worstRatio: number;
  allowed: number;
}

/**
 * The SLOs (not tolerated by the experiment) that left their objective over the experiment: the
 * mean of their 30 s error ratios across its snapshots is above what the objective allows, that
 * is, the experiment burned their budget faster than the objective permits (burn rate above 1).
 *
 * Not any single snapshot over the line: where few requests reach an SLI (the edge serves most
 * reads from its cache), one slow request in a 30 s window can put the ratio over 1% for a
 * moment; on a busy machine that happened in one snapshot of a run whose SLO was otherwise well
 * within (ADR 0206). A sustained breach, or a short deep one, still raises the mean above the line.
 * Snapshots without traffic (NaN) do not count.
 */
export function leftObjective(
  snaps: Record<string, number>[],
  objs: Objective[],
  tolerated: string[] = [],
): LeftObjective[] {
  const out: LeftObjective[] = [];
  for (const o of objs) {
    if (tolerated.includes(o.slo)) continue;
    const values = snaps.map((s) => s[o.slo] ?? NaN).filter(Number.isFinite);
    if (!values.length) continue;
    const meanRatio = values.reduce((a, b) => a + b, 0) / values.length;
    if (meanRatio > o.allowed * 1.0000001)
      out.push({ slo: o.slo, meanRatio, worstRatio: Math.max(...values), allowed: o.allowed });
  }
  return out;
}

/**
 * The share of each SLO's 30-day budget spent between two moments: the mean 30 s error ratio
 * over the interval, times its length, over what the objective allows in a month (the month's
 * traffic taken at the interval's rate).
 */
export async function budgetBurned(
  fromSeconds: number,
  toSeconds: number,
  objs: Objective[],
): Promise<Record<string, number>> {
  const span = Math.max(5, toSeconds - fromSeconds);
  const series = await rangeQuery(SHORT_WINDOW_RULE, fromSeconds, toSeconds, 5);
  const out: Record<string, number> = {};
  for (const o of objs) {
    const values =
      series
        .find((s) => s.metric.sloth_slo === o.slo)
        ?.values.map(([, v]) => v)
        .filter(Number.isFinite) ?? [];
    const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
    out[o.slo] = (mean * span) / (o.allowed * MONTH_SECONDS);
  }
  return out;
}

/** Alert names that fired at any moment between two times (Prometheus's ALERTS series). */
export async function alertsFired(fromSeconds: number, toSeconds: number): Promise<string[]> {
  const span = Math.max(15, Math.ceil(toSeconds - fromSeconds));
  const rows = await instantAt(
    `max by (alertname) (max_over_time(ALERTS{alertstate="firing"}[${span}s]))`,
    toSeconds,
  );
  return rows
    .map((r) => r.metric.alertname!)
    .filter(Boolean)
    .sort();
}

/** Samples of every SLO's 30 s ratio over the run, for the report's chart. */
export async function sliSeries(
  fromSeconds: number,
  toSeconds: number,
): Promise<Record<string, [number, number][]>> {
  const out: Record<string, [number, number][]> = {};
  for (const s of await rangeQuery(SHORT_WINDOW_RULE, fromSeconds, toSeconds, 5))
    if (s.metric.sloth_slo) out[s.metric.sloth_slo] = s.values;
  return out;
}
