// The ops board's colours, as a pure function of what Prometheus said. Thresholds are the ones
// the error-budget gate (slo/src/gate/decide.ts DEFAULT_POLICY) and the generated Grafana
// dashboards (slo/dashboards/src) use, so the board, the dashboards and the gate agree.
// ops-status.test.ts checks they have not drifted apart.
import type { OpsObservation } from '../ops/queries';
import type { PromAlert, Sample, Series } from '../ops/prometheus';
import {
  finite,
  higherIsWorse,
  lowerIsWorse,
  pct,
  worst,
  type Band,
  type Metric,
  type Point,
  type Status,
} from './ops-colours';

import type { LogTile } from '../log-store/log-tile';
import { gamedayTile, type GamedayTile } from './ops-gameday';
import { loadRunTile, type LoadRunTile } from './ops-load-run';
import { logsTile, type LogsTile } from './ops-logs';

export { higherIsWorse, lowerIsWorse, worst, type Metric, type Point, type Status };

export const THRESHOLDS = {
  /** Remaining 30-day budget: red below the gate's 25%, yellow below half. */
  budgetRemaining: { red: 0.25, yellow: 0.5 },
  /** Burn rate now (5m): spending faster than the period allows is yellow. */
  burnRateYellow: 1,
  errorRatio: { yellow: 0.001, red: 0.01 } satisfies Band,
  p95Seconds: { yellow: 0.3, red: 1 } satisfies Band,
  cpuOfLimit: { yellow: 0.7, red: 0.9 } satisfies Band,
  memoryOfLimit: { yellow: 0.75, red: 0.9 } satisfies Band,
  /** Disk free: red below 10%, yellow below 25%. */
  diskFree: { red: 0.1, yellow: 0.25 },
} as const;

export const BURN_WINDOWS = ['5m', '1h', '6h', '1d', '3d'] as const;
export type BurnWindow = (typeof BURN_WINDOWS)[number];

export interface SloTile {
  id: string;
  service: string;
  slo: string;
  objective: number | null;
  sli30d: number | null;
  budgetRemaining: number | null;
  burnRates: Record<BurnWindow, number | null>;
  status: Status;
  reasons: string[];
  /** Burn rate now (5m), the last hour. */
  spark: Point[];
}

export interface ServiceTile {
  name: string;
  replicas: { healthy: number; targets: number; running: number | null; desired: number | null };
  errorRatio: Metric;
  p95Seconds: Metric;
  cpuOfLimit: Metric;
  memoryOfLimit: Metric;
  /** Process figures without a limit to compare with: shown, never coloured. */
  cpuCores: number | null;
  memoryBytes: number | null;
  status: Status;
  reasons: string[];
  spark: { rps: Point[]; cpu: Point[] };
}

export interface DiskTile {
  instance: string;
  freeRatio: number | null;
  status: Status;
}

export interface AlertItem {
  name: string;
  severity: string;
  since: string | null;
  summary: string;
  runbook: string | null;
  /** What it is about: the SLO id, job, Swarm service or instance, when labelled. */
  target: string | null;
}

export interface OpsStatus {
  generatedAt: string;
  prometheus: 'ok';
  overall: Status;
  spark: { windowSeconds: number; stepSeconds: number };
  slos: SloTile[];
  services: ServiceTile[];
  disk: DiskTile[];
  alerts: AlertItem[];
  /** The newest load run (the Pushgateway's `loadtest` groups). */
  loadRun: LoadRunTile;
  /** The last game day (the Pushgateway's `gameday` group). */
  gameday: GamedayTile;
  /** Error lines per minute and the top error messages (the log store). */
  logs: LogsTile;
}

function byLabel(samples: Sample[], label: string): Map<string, number | null> {
  const m = new Map<string, number | null>();
  for (const s of samples) {
    const k = s.labels[label];
    if (k) m.set(k, finite(s.value));
  }
  return m;
}

function seriesByLabel(series: Series[], label: string): Map<string, Point[]> {
  const m = new Map<string, Point[]>();
  for (const s of series) {
    const k = s.labels[label];
    if (k)
      m.set(
        k,
        s.points.filter(([, v]) => Number.isFinite(v)),
      );
  }
  return m;
}

const severityOf = (a: PromAlert): string => a.labels.severity ?? a.labels.sloth_severity ?? 'none';

/** Swarm names services <stack>_<name>; Prometheus jobs use the bare name. */
function swarmServiceFor(job: string, names: Iterable<string>): string | undefined {
  for (const n of names) if (n === job || n.endsWith(`_${job}`)) return n;
  return undefined;
}

function alertStatus(alerts: PromAlert[]): { status: Status; reasons: string[] } {
  let status: Status = 'unknown';
  const reasons: string[] = [];
  for (const a of alerts) {
    const sev = severityOf(a);
    status = worst(status, sev === 'page' ? 'red' : 'yellow');
    reasons.push(`${sev} alert ${a.labels.alertname ?? '(unnamed)'} is firing`);
  }
  return { status, reasons };
}

function sloTiles(o: OpsObservation, firing: PromAlert[]): SloTile[] {
  const objective = byLabel(o.instant.sloObjective, 'sloth_id');
  const error30d = byLabel(o.instant.sloErrorRatio30d, 'sloth_id');
  const remaining = byLabel(o.instant.sloBudgetRemaining, 'sloth_id');
  const spark = seriesByLabel(o.range.sloBurnRate, 'sloth_id');
  const names = new Map<string, { service: string; slo: string }>();
  for (const s of o.instant.sloObjective) {
    const id = s.labels.sloth_id;
    if (id) names.set(id, { service: s.labels.sloth_service ?? '', slo: s.labels.sloth_slo ?? '' });
  }
  const burn = new Map<string, Record<BurnWindow, number | null>>();
  for (const s of o.instant.sloBurnRates) {
    const id = s.labels.sloth_id;
    const w = s.labels.sloth_window as BurnWindow | undefined;
    if (!id || !w || !BURN_WINDOWS.includes(w)) continue;
    const r =
      burn.get(id) ??
      (Object.fromEntries(BURN_WINDOWS.map((x) => [x, null])) as Record<BurnWindow, number | null>);
    r[w] = finite(s.value);
    burn.set(id, r);
  }
  // An SLO exists when its objective is recorded (as in the gate); stray series are ignored.
  return [...names.keys()].sort().map((id) => {
    const budget = remaining.get(id) ?? null;
    const rates =
      burn.get(id) ??
      (Object.fromEntries(BURN_WINDOWS.map((x) => [x, null])) as Record<BurnWindow, number | null>);
    const now = rates['5m'];
    const alerts = alertStatus(firing.filter((a) => a.labels.sloth_id === id));
    const reasons = [...alerts.reasons];
    let status = alerts.status;
    if (budget === null) reasons.push('no data for the remaining error budget');
    else {
      const b = lowerIsWorse(budget, THRESHOLDS.budgetRemaining);
      if (b !== 'green') {
        const limit =
          b === 'red' ? THRESHOLDS.budgetRemaining.red : THRESHOLDS.budgetRemaining.yellow;
        reasons.push(`error budget left ${pct(budget)} < ${pct(limit)}`);
      }
      status = worst(status, b);
    }
    if (now !== null && now > THRESHOLDS.burnRateYellow) {
      status = worst(status, 'yellow');
      reasons.push(`burning ${now.toFixed(2)}x the sustainable rate (5m)`);
    }
    const e = error30d.get(id) ?? null;
    return {
      id,
      service: names.get(id)!.service,
      slo: names.get(id)!.slo,
      objective: objective.get(id) ?? null,
      sli30d: e === null ? null : 1 - e,
      budgetRemaining: budget,
      burnRates: rates,
      status,
      reasons,
      spark: spark.get(id) ?? [],
    };
  });
}

function serviceTiles(o: OpsObservation, firing: PromAlert[]): ServiceTile[] {
  const up = byLabel(o.instant.targetsUp, 'job');
  const total = byLabel(o.instant.targetsTotal, 'job');
  const desired = byLabel(o.instant.replicasDesired, 'service');
  const running = byLabel(o.instant.replicasRunning, 'service');
  const errors = byLabel(o.instant.errorRatio5m, 'job');
  const edgeErrors = byLabel(o.instant.edgeErrorRatio5m, 'job');
  const p95 = byLabel(o.instant.p95Seconds, 'job');
  const cpu = byLabel(o.instant.cpuCores, 'job');
  const mem = byLabel(o.instant.memoryBytes, 'job');
  const cpuLimit = byLabel(o.instant.cpuOfLimit, 'service');
  const memLimit = byLabel(o.instant.memoryOfLimit, 'service');
  const rps = seriesByLabel(o.range.serviceRps, 'job');
  const cpuSpark = seriesByLabel(o.range.serviceCpu, 'job');
  const swarmNames = new Set([
    ...desired.keys(),
    ...running.keys(),
    ...cpuLimit.keys(),
    ...memLimit.keys(),
  ]);

  return [...total.keys()].sort().map((job) => {
    const swarm = swarmServiceFor(job, swarmNames);
    const healthy = up.get(job) ?? 0;
    const targets = total.get(job) ?? 0;
    const want = swarm !== undefined ? (desired.get(swarm) ?? null) : null;
    const run = swarm !== undefined ? (running.get(swarm) ?? null) : null;
    const metric = (value: number | null, band: Band): Metric => ({
      value,
      status: higherIsWorse(value, band),
    });
    // What customers saw: the worse of the service's own 5xx ratio and the edge's for it (the
    // edge's own 503s never reach the service's counters).
    const own = errors.get(job) ?? null;
    const atEdge = edgeErrors.get(job) ?? null;
    const edgeWorse = atEdge !== null && (own === null || atEdge > own);
    const errorRatio = metric(edgeWorse ? atEdge : own, THRESHOLDS.errorRatio);
    const p95Seconds = metric(p95.get(job) ?? null, THRESHOLDS.p95Seconds);
    const cpuOfLimit = metric(swarm ? (cpuLimit.get(swarm) ?? null) : null, THRESHOLDS.cpuOfLimit);
    const memoryOfLimit = metric(
      swarm ? (memLimit.get(swarm) ?? null) : null,
      THRESHOLDS.memoryOfLimit,
    );

    const mine = firing.filter(
      (a) => a.labels.job === job || (swarm !== undefined && a.labels.service === swarm),
    );
    const alerts = alertStatus(mine);
    const reasons = [...alerts.reasons];
    let status = worst('green', alerts.status);
    if (healthy === 0) {
      status = 'red';
      reasons.push(`no healthy target (0 of ${targets} up)`);
    } else if (healthy < targets) {
      status = worst(status, 'yellow');
      reasons.push(`${targets - healthy} of ${targets} targets down`);
    }
    // Below desired is a ticket (SwarmServiceReplicasMissing), not a page: yellow while any replica runs.
    if (want !== null && run !== null && run < want) {
      status = worst(status, run === 0 ? 'red' : 'yellow');
      reasons.push(`${run} of ${want} replicas running`);
    }
    const named: [string, Metric][] = [
      ['error ratio', errorRatio],
      ['p95 latency', p95Seconds],
      ['CPU of limit', cpuOfLimit],
      ['memory of limit', memoryOfLimit],
    ];
    for (const [what, m] of named) {
      if (m.status === 'yellow' || m.status === 'red') {
        status = worst(status, m.status);
        const where = m === errorRatio && edgeWorse ? ' (at the edge)' : '';
        reasons.push(`${what} is ${m.status}${where}`);
      }
    }
    return {
      name: job,
      replicas: { healthy, targets, running: run, desired: want },
      errorRatio,
      p95Seconds,
      cpuOfLimit,
      memoryOfLimit,
      cpuCores: cpu.get(job) ?? null,
      memoryBytes: mem.get(job) ?? null,
      status,
      reasons,
      spark: { rps: rps.get(job) ?? [], cpu: cpuSpark.get(job) ?? [] },
    };
  });
}

function alertItems(firing: PromAlert[]): AlertItem[] {
  const rank = (a: PromAlert): number => (severityOf(a) === 'page' ? 0 : 1);
  return [...firing]
    .sort(
      (a, b) =>
        rank(a) - rank(b) || (a.labels.alertname ?? '').localeCompare(b.labels.alertname ?? ''),
    )
    .map((a) => ({
      name: a.labels.alertname ?? '(unnamed)',
      severity: severityOf(a),
      since: a.activeAt ?? null,
      summary: a.annotations.summary ?? a.annotations.title ?? '',
      runbook: a.annotations.runbook_url ?? null,
      target: a.labels.sloth_id ?? a.labels.service ?? a.labels.job ?? a.labels.instance ?? null,
    }));
}

/**
 * The board: colour-ready tiles from one observation. Pure; no clock, no I/O. `logs` is the log
 * store's tile as read beside it, null when no log store is configured.
 */
export function buildOpsStatus(
  o: OpsObservation,
  spark: { windowSeconds: number; stepSeconds: number },
  logs: LogTile | null = null,
): OpsStatus {
  const firing = o.alerts.filter((a) => a.state === 'firing');
  const slos = sloTiles(o, firing);
  const services = serviceTiles(o, firing);
  const disk = [...byLabel(o.instant.diskFree, 'instance')]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([instance, freeRatio]) => ({
      instance,
      freeRatio,
      status: lowerIsWorse(freeRatio, THRESHOLDS.diskFree),
    }));
  const logsNow = logsTile(logs);
  return {
    generatedAt: new Date(o.at * 1000).toISOString(),
    prometheus: 'ok',
    // Every firing alert counts, including those no tile owns (e.g. PostgresNoLeader), and the
    // error lines now. The load-run and game-day tiles report on a test, not on the shop now:
    // a red run of last week must not hold the badge red.
    overall: worst(
      ...slos.map((s) => s.status),
      ...services.map((s) => s.status),
      ...disk.map((d) => d.status),
      alertStatus(firing).status,
      logsNow.status,
    ),
    spark,
    slos,
    services,
    disk,
    alerts: alertItems(firing),
    loadRun: loadRunTile(o.loadRun, o.at),
    gameday: gamedayTile(o.gameday),
    logs: logsNow,
  };
}
