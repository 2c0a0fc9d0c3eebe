import { join } from 'node:path';
import {
  committedThresholds,
  HISTORY_DIR,
  OrderHistory,
  runScenario,
  SCENARIOS,
  type RunResult,
} from '@dhakacart/loadtests';
import {
  push,
  removeResidue,
  sleep,
  unhealthyServices,
  type AppliedFault,
  type PushSample,
  type Residue,
} from '@dhakacart/lab-client';
import type { Experiment, Profile } from '../catalogue/types';
import type { InvariantsReport } from '../invariants/checker';
import { labInvariants } from '../invariants/lab';
import {
  alertsFired,
  breaches,
  budgetBurned,
  leftObjective,
  objectives,
  pct,
  sliSeries,
  snapshot,
  SNAPSHOT_EVERY_SECONDS,
  type Objective,
} from './slis';
import { measureBusyCores, sizeVisitors, type Sizing } from './sizing';

/** How long a profile may take once the lab is up (the issue's bounds), with the load's length. */
export const PROFILE_BUDGET_SECONDS: Record<Profile, number> = {
  quick: 12 * 60,
  default: 25 * 60,
  nightly: 60 * 60,
};

/**
 * "Recovered": every SLO back within its objective and staying there this long. The quick
 * profile (CI) waits one full 30 s SLI window; the others two.
 */
export const RECOVERED_FOR_SECONDS: Record<Profile, number> = {
  quick: 30,
  default: 60,
  nightly: 60,
};

export interface ExperimentResult {
  name: string;
  title: string;
  hypothesis: string;
  passed: boolean;
  /**
   * From the injection (a kill) or the revert (a held fault) to the start of the 60 s within
   * objective (0: never left it). The 30 s windows add up to 30 s of lag.
   */
  recoverySeconds: number | null;
  recoveryBudgetSeconds: number;
  /** Share of each SLO's 30-day error budget this experiment spent, and their sum. */
  budgetBurned: number;
  budgetBySlo: Record<string, number>;
  /** Alerts that began firing during the experiment; those already firing are listed apart. */
  alerts: { fired: string[]; alreadyFiring: string[]; expected: string[]; unexpected: string[] };
  /** SLOs that left their objective although the hypothesis says they would not. */
  untoleratedBreaches: string[];
  failures: string[];
  notes: string[];
  /** Seconds from the game day's start. */
  injectedAt: number;
  endedAt: number;
  invariants?: Pick<
    InvariantsReport,
    'lost' | 'oversold' | 'duplicates' | 'conservation' | 'stranded' | 'unresolved' | 'passed'
  >;
}

export interface GamedayResult {
  id: string;
  profile: Profile;
  passed: boolean;
  aborted: string | null;
  startedAt: string;
  durationSeconds: number;
  residueRemoved: Residue[];
  experiments: ExperimentResult[];
  invariants: Pick<
    InvariantsReport,
    'lost' | 'oversold' | 'duplicates' | 'conservation' | 'stranded' | 'unresolved' | 'passed'
  > | null;
  load: Pick<RunResult, 'testid' | 'visitors' | 'seconds' | 'summary' | 'timeline'> | null;
  /** Every SLO's 30 s error ratio over the run, for the charts. */
  slis: Record<string, [number, number][]>;
  /** How the load was sized to the host's headroom (null: the visitors were given). */
  sizing: Sizing | null;
  /**
   * The loads stopped by a resize, before `load` (its summary and charts cover only itself);
   * their orders are in the invariants all the same (one continued order history).
   */
  sizingLoads: SizingLoad[];
}

/** A load the sizing stopped, in figures. */
export interface SizingLoad {
  visitors: number;
  /** How long it ran before it was stopped. */
  seconds: number;
  requests: number;
  failedRate: number;
  p99Ms: number;
}

export interface GamedayOptions {
  id: string;
  profile: Profile;
  experiments: Experiment[];
  visitors: number;
  say: (line: string) => void;
  signal: AbortSignal;
  /** Brings the lab up (the deployer's `up`) when it is not. */
  bringUp: () => Promise<void>;
  pushgatewayUrl: string | null;
  /**
   * Measure the host and lower the visitors, if it must, to keep a quarter of its cores free
   * for what a fault makes the lab do (sizing.ts). False when the operator gave the visitors.
   */
  sizeToHeadroom: boolean;
}

/** One running load: its result, how to stop it, and why it stopped early, if it did. */
interface Load {
  ran: Promise<RunResult>;
  abort: AbortController;
  failed: Error | null;
  visitors: number;
  startedAt: number;
}

/** After one resize, the load is resized again only if it is this share of the cores over. */
export const RESIZE_SLACK = 0.05;

/** Each of the sizing's measurements of the host's busy cores lasts this long. */
export const SIZING_SECONDS = 15;

class Aborted extends Error {}

const pick = (r: InvariantsReport) => ({
  lost: r.lost,
  oversold: r.oversold,
  duplicates: r.duplicates,
  conservation: r.conservation,
  stranded: r.stranded,
  unresolved: r.unresolved,
  passed: r.passed,
});

/**
 * The game day: the lab up, residue of an earlier run removed, load from loadtests/ running
 * the whole time, then each experiment in turn: steady state, fault, revert, recovery, checks,
 * invariants, alerts and budget. Every fault is reverted on the way out, whatever happens.
 */
export async function runGameday(o: GamedayOptions): Promise<GamedayResult> {
  const started = Date.now();
  const t = () => (Date.now() - started) / 1000;
  const now = () => Date.now() / 1000;
  const result: GamedayResult = {
    id: o.id,
    profile: o.profile,
    passed: false,
    aborted: null,
    startedAt: new Date(started).toISOString(),
    durationSeconds: 0,
    residueRemoved: [],
    experiments: [],
    invariants: null,
    load: null,
    slis: {},
    sizing: null,
    sizingLoads: [],
  };
  const active: AppliedFault[] = [];
  const revertAll = async () => {
    while (active.length) {
      const f = active.pop()!;
      await f
        .revert()
        .catch((e: Error) => o.say(`    could not revert ${f.describe}: ${e.message}`));
    }
  };
  const checkSignal = () => {
    if (o.signal.aborted) throw new Aborted('stopped by the operator (Ctrl-C)');
  };

  const unhealthy = await unhealthyServices();
  if (!unhealthy || unhealthy.length) {
    o.say(
      `==> the lab is ${unhealthy ? `not healthy (${unhealthy.join(', ')})` : 'not up'}: bringing it up`,
    );
    await o.bringUp();
  }
  o.say('==> removing faults an earlier run may have left');
  result.residueRemoved = await removeResidue();
  for (const r of result.residueRemoved) o.say(`    removed ${r.kind} in ${r.where}`);

  const objs = objectives();
  const scenario = SCENARIOS.gameday!;
  const loadSeconds = PROFILE_BUDGET_SECONDS[o.profile];
  const loadStarted = Date.now();
  // One load at a time; a resize stops it and starts the next, continuing its order history.
  let load: Load | undefined;
  const loadFailed = () => load?.failed ?? null;
  const startLoad = (visitors: number, continued: boolean): Load => {
    const abort = new AbortController();
    const seconds = Math.max(60, loadSeconds - Math.round((Date.now() - loadStarted) / 1000));
    o.say(`==> load: ${visitors} visitors (scenario gameday), at most ${seconds} s`);
    const ran = runScenario({
      scenario,
      visitors,
      seconds,
      thresholds: committedThresholds(),
      pushgatewayUrl: o.pushgatewayUrl,
      testid: `gameday-${o.id}`,
      signal: abort.signal,
      continueHistory: continued,
    });
    const l: Load = { ran, abort, failed: null, visitors, startedAt: Date.now() };
    ran.catch((e: Error) => {
      l.failed = e;
    });
    return l;
  };
  const onOperator = () => load?.abort.abort();
  o.signal.addEventListener('abort', onOperator);

  try {
    let baseline: number | null = null;
    if (o.sizeToHeadroom) {
      o.say(
        `==> measuring the host's busy cores with the lab up and no load (${SIZING_SECONDS} s)`,
      );
      baseline = (await measureBusyCores(SIZING_SECONDS)).busyCores;
    }
    load = startLoad(o.visitors, false);
    o.say(
      '==> waiting for the steady state (every SLO within its objective over 30 s, with traffic)',
    );
    await waitSteady(objs, 180, o.say, checkSignal, loadFailed);
    if (baseline !== null) {
      // Sized at most twice: on a saturated host the first measurement underestimates a visitor.
      for (let round = 0; round < 2; round++) {
        checkSignal();
        const m = await measureBusyCores(SIZING_SECONDS);
        const s = sizeVisitors({
          cores: m.cores,
          baselineBusyCores: baseline,
          loadedBusyCores: m.busyCores,
          requestedVisitors: round === 0 ? o.visitors : result.sizing!.visitors,
          slack: round === 0 ? 0 : RESIZE_SLACK,
        });
        if (round > 0)
          s.reason = `second measurement, after ${o.visitors} visitors were lowered to ${s.requestedVisitors}: ${s.reason}`;
        o.say(`    sizing: ${s.reason}`);
        result.sizing = s;
        if (s.visitors >= s.requestedVisitors) break;
        load.abort.abort();
        const stopped = await load.ran.catch(() => null);
        if (stopped)
          result.sizingLoads.push({
            visitors: load.visitors,
            seconds: Math.round((Date.now() - load.startedAt) / 1000),
            requests: stopped.summary.requests,
            failedRate: stopped.summary.failedRate,
            p99Ms: stopped.summary.p99Ms,
          });
        load = startLoad(s.visitors, true);
        await waitSteady(objs, 180, o.say, checkSignal, loadFailed);
      }
    }
    for (const e of o.experiments) {
      checkSignal();
      result.experiments.push(
        await runExperiment(
          e,
          objs,
          o,
          t,
          now,
          active,
          revertAll,
          checkSignal,
          loadFailed,
          started,
        ),
      );
      const last = result.experiments.at(-1)!;
      o.say(
        `    ${last.passed ? 'PASS' : 'FAIL'} ${e.name}: recovered in ${last.recoverySeconds ?? '∞'} s (budget ${e.recoveryBudgetSeconds} s), ${(last.budgetBurned * 100).toFixed(3)}% of the monthly budget${last.failures.length ? `; ${last.failures.join('; ')}` : ''}`,
      );
    }
  } catch (e) {
    result.aborted = (e as Error).message;
    o.say(`==> ABORTED: ${result.aborted}`);
  } finally {
    await revertAll();
    load?.abort.abort();
    o.signal.removeEventListener('abort', onOperator);
  }
  const ran = load ? await load.ran.catch(() => null) : null;
  if (ran) {
    result.load = {
      testid: ran.testid,
      visitors: ran.visitors,
      seconds: ran.seconds,
      summary: ran.summary,
      timeline: ran.timeline,
    };
    o.say('==> the data after every fault: invariants over the whole run');
    const inv = await labInvariants(new OrderHistory(ran.history), new Date(started)).catch(
      (e: Error) => {
        o.say(`    invariants could not be checked: ${e.message}`);
        return null;
      },
    );
    result.invariants = inv && pick(inv);
  }
  result.slis = await sliSeries(started / 1000, Date.now() / 1000).catch(() => ({}));
  result.durationSeconds = Math.round(t());
  result.passed =
    !result.aborted &&
    result.experiments.length === o.experiments.length &&
    result.experiments.every((x) => x.passed) &&
    (result.invariants?.passed ?? false);
  if (o.pushgatewayUrl) await publish(o.pushgatewayUrl, result).catch(() => undefined);
  return result;
}

async function waitSteady(
  objs: Objective[],
  seconds: number,
  say: (s: string) => void,
  checkSignal: () => void,
  loadFailed: () => Error | null,
) {
  const deadline = Date.now() + seconds * 1000;
  let steadySince: number | null = null;
  for (;;) {
    checkSignal();
    const lf = loadFailed();
    if (lf) throw new Aborted(`the load stopped: ${lf.message}`);
    const snap = await snapshot().catch(() => ({}) as Record<string, number>);
    const haveTraffic = Object.values(snap).some(Number.isFinite);
    const bad = breaches(snap, objs);
    if (haveTraffic && !bad.length) {
      steadySince ??= Date.now();
      if (Date.now() - steadySince >= 10_000) return;
    } else steadySince = null;
    if (Date.now() > deadline)
      throw new Aborted(
        `no steady state within ${seconds} s (${haveTraffic ? bad.map((b) => `${b.slo} ${(b.ratio * 100).toFixed(2)}%`).join(', ') : 'no traffic seen by the SLIs'})`,
      );
    await sleep(SNAPSHOT_EVERY_SECONDS * 1000);
  }
}

async function runExperiment(
  e: Experiment,
  objs: Objective[],
  o: GamedayOptions,
  t: () => number,
  now: () => number,
  active: AppliedFault[],
  revertAll: () => Promise<void>,
  checkSignal: () => void,
  loadFailed: () => Error | null,
  started: number,
): Promise<ExperimentResult> {
  o.say(`==> ${e.name}: ${e.title}`);
  o.say(`    hypothesis: ${e.hypothesis}`);
  await waitSteady(objs, 120, o.say, checkSignal, loadFailed);
  const before = (await e.lab.before?.()) ?? {};
  // Alerts already firing (from an earlier experiment, or before the game day) are not this one's.
  const firingBefore = new Set(await alertsFired(now() - 15, now()).catch(() => [] as string[]));
  const injectedAt = t();
  const t0 = now();
  // Recovery is timed from the moment the system is left to heal: the injection for a kill,
  // the revert for a fault that is held.
  let healFrom = t0;
  let injected;
  try {
    injected = await e.lab.inject(before);
  } catch (err) {
    await revertAll();
    throw new Aborted(`the injection of ${e.name} failed: ${(err as Error).message}`);
  }
  active.push(...injected.faults);
  for (const n of injected.notes) o.say(`    ${n}`);
  const snaps: Record<string, number>[] = [];
  let goodSince: number | null = null;
  let everBad = false;
  let recoveredAt: number | null = null;
  let badSince: number | null = null;
  const holdUntil = Date.now() + (e.lab.holdSeconds ?? 0) * 1000;
  const deadline =
    Date.now() + (e.recoveryBudgetSeconds + RECOVERED_FOR_SECONDS[o.profile] + 60) * 1000;
  for (;;) {
    checkSignal();
    const lf = loadFailed();
    if (lf) throw new Aborted(`the load stopped: ${lf.message}`);
    if (active.length && Date.now() >= holdUntil) {
      o.say(`    reverting after ${e.lab.holdSeconds ?? 0} s`);
      await revertAll();
      healFrom = now();
    }
    const snap = await snapshot().catch(() => ({}) as Record<string, number>);
    snaps.push(snap);
    const bad = breaches(snap, objs);
    if (bad.length || active.length) {
      everBad ||= bad.length > 0;
      goodSince = null;
      badSince ??= Date.now();
      if (Date.now() - badSince > e.abortAfterSeconds * 1000) {
        await revertAll();
        throw new Aborted(
          `${e.name}: the SLIs stayed out of their objectives for ${e.abortAfterSeconds} s (${bad.map((b) => b.slo).join(', ')})`,
        );
      }
    } else {
      badSince = null;
      goodSince ??= Date.now();
      if (Date.now() - goodSince >= RECOVERED_FOR_SECONDS[o.profile] * 1000) {
        recoveredAt = goodSince;
        break;
      }
    }
    if (Date.now() > deadline) break;
    await sleep(SNAPSHOT_EVERY_SECONDS * 1000);
  }
  const recoverySeconds =
    recoveredAt === null
      ? null
      : everBad
        ? Math.max(0, Math.round((recoveredAt / 1000 - healFrom) * 10) / 10)
        : 0;
  const failures: string[] = [];
  if (recoverySeconds === null) failures.push(`not recovered within ${e.recoveryBudgetSeconds} s`);
  else if (recoverySeconds > e.recoveryBudgetSeconds)
    failures.push(
      `recovered in ${recoverySeconds} s, over the ${e.recoveryBudgetSeconds} s budget`,
    );
  const untolerated = leftObjective(snaps, objs, e.tolerated);
  if (untolerated.length)
    failures.push(
      `left their objective: ${untolerated
        .map(
          (u) =>
            `${u.slo} (mean ${pct(u.meanRatio)} over the experiment, allowed ${pct(u.allowed)}, worst 30 s ${pct(u.worstRatio)})`,
        )
        .join(', ')}`,
    );
  const notes = [...injected.notes];
  const note = (line: string) => {
    notes.push(line);
    o.say(`    ${line}`);
  };
  failures.push(
    ...((await e.lab
      .verify?.(before, note)
      .catch((err: Error) => [`verification failed: ${err.message}`])) ?? []),
  );
  const t1 = now();
  const [fired, budget] = await Promise.all([
    alertsFired(t0, t1).catch(() => [] as string[]),
    budgetBurned(t0, t1, objs).catch(() => ({}) as Record<string, number>),
  ]);
  const newlyFired = fired.filter((a) => !firingBefore.has(a));
  const unexpected = newlyFired.filter((a) => !e.expectedAlerts.includes(a));
  let invariants: ExperimentResult['invariants'];
  try {
    const inv = await labInvariants(
      new OrderHistory(join(HISTORY_DIR, `gameday-${o.id}.jsonl`)),
      new Date(started),
    );
    invariants = pick(inv);
    if (!inv.passed)
      failures.push(
        `invariants: ${(
          ['lost', 'oversold', 'duplicates', 'conservation', 'stranded', 'unresolved'] as const
        )
          .filter((k) => inv[k] > 0)
          .map((k) => `${k} ${inv[k]}`)
          .join(', ')}`,
      );
  } catch (err) {
    failures.push(`invariants could not be checked: ${(err as Error).message}`);
  }
  return {
    name: e.name,
    title: e.title,
    hypothesis: e.hypothesis,
    passed: failures.length === 0,
    recoverySeconds,
    recoveryBudgetSeconds: e.recoveryBudgetSeconds,
    budgetBurned: Object.values(budget).reduce((a, b) => a + b, 0),
    budgetBySlo: budget,
    alerts: {
      fired: newlyFired,
      alreadyFiring: [...firingBefore],
      expected: e.expectedAlerts,
      unexpected,
    },
    untoleratedBreaches: untolerated.map((u) => u.slo),
    failures,
    notes,
    injectedAt: Math.round(injectedAt),
    endedAt: Math.round(t()),
    invariants,
  };
}

/** The last game day for the ops board and the release gate (replaced by each run). */
async function publish(url: string, r: GamedayResult) {
  const samples: PushSample[] = [
    {
      name: 'dhakacart_gameday_last_run_timestamp_seconds',
      help: 'When the last game day finished',
      type: 'gauge',
      labels: {},
      value: Date.now() / 1000,
    },
    {
      name: 'dhakacart_gameday_passed',
      help: 'Whether the last game day passed (1) or not (0)',
      type: 'gauge',
      labels: { profile: r.profile },
      value: r.passed ? 1 : 0,
    },
    ...r.experiments.flatMap((x): PushSample[] => [
      {
        name: 'dhakacart_gameday_experiment_passed',
        help: 'Whether each experiment of the last game day passed',
        type: 'gauge',
        labels: { experiment: x.name },
        value: x.passed ? 1 : 0,
      },
      {
        name: 'dhakacart_gameday_experiment_budget_burned_ratio',
        help: 'Share of the 30-day error budget each experiment spent',
        type: 'gauge',
        labels: { experiment: x.name },
        value: x.budgetBurned,
      },
      {
        name: 'dhakacart_gameday_experiment_recovery_seconds',
        help: 'Seconds each experiment took to recover',
        type: 'gauge',
        labels: { experiment: x.name },
        value: x.recoverySeconds ?? NaN,
      },
    ]),
  ];
  await push(url, 'gameday', {}, samples);
}
