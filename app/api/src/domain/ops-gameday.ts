// The board's game-day tile (issue 13): the last game day, passed or failed, and what each
// experiment cost. Pure: the series come from ../ops/pushed.ts (chaos/src/gameday/run.ts
// publish() pushes them). Red when the last run failed, green when it passed.
import type { Sample } from '../ops/prometheus';
import { GAMEDAY_SERIES, type Reading } from '../ops/pushed';
import { finite, worst, type Status } from './ops-colours';

export interface GamedayExperiment {
  name: string;
  passed: boolean | null;
  status: Status;
  /** Share of the 30-day error budget it spent (the sum over the SLOs it touched). */
  budgetBurned: number | null;
  /** Seconds to recover; null when it never recovered (or was not measured). */
  recoverySeconds: number | null;
}

export interface GamedayTile {
  status: Status;
  reasons: string[];
  lastRunAt: string | null;
  profile: string | null;
  passed: boolean | null;
  /** The experiments' burns added up. */
  budgetBurned: number | null;
  experiments: GamedayExperiment[];
}

const verdict = (v: number | null): boolean | null => (v === null ? null : v >= 1);
const colour = (passed: boolean | null): Status =>
  passed === null ? 'unknown' : passed ? 'green' : 'red';

function unknown(reason: string): GamedayTile {
  return {
    status: 'unknown',
    reasons: [reason],
    lastRunAt: null,
    profile: null,
    passed: null,
    budgetBurned: null,
    experiments: [],
  };
}

export function gamedayTile(r: Reading<Sample[]>): GamedayTile {
  if (!r.ok) return unknown(`Prometheus did not answer the game-day query (${r.error})`);
  const samples = r.value;
  if (samples.length === 0)
    return unknown('no game day recorded (no dhakacart_gameday_* series from the Pushgateway)');
  const of = (name: string) => samples.filter((s) => s.labels.__name__ === name);

  const byName = new Map<string, GamedayExperiment>();
  const experiment = (name: string) => {
    const x = byName.get(name) ?? {
      name,
      passed: null,
      status: 'unknown' as Status,
      budgetBurned: null,
      recoverySeconds: null,
    };
    byName.set(name, x);
    return x;
  };
  for (const s of samples) {
    const name = s.labels.experiment;
    if (!name) continue;
    const v = finite(s.value);
    switch (s.labels.__name__) {
      case GAMEDAY_SERIES.experimentPassed:
        experiment(name).passed = verdict(v);
        experiment(name).status = colour(verdict(v));
        break;
      case GAMEDAY_SERIES.experimentBurn:
        experiment(name).budgetBurned = v;
        break;
      case GAMEDAY_SERIES.experimentRecovery:
        experiment(name).recoverySeconds = v;
        break;
    }
  }
  const experiments = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));

  const run = of(GAMEDAY_SERIES.passed)[0];
  const passed = run ? verdict(finite(run.value)) : null;
  const last = finite(of(GAMEDAY_SERIES.lastRun)[0]?.value);
  const burns = experiments.map((x) => x.budgetBurned).filter((b): b is number => b !== null);
  const failed = experiments.filter((x) => x.passed === false).map((x) => x.name);

  const reasons: string[] = [];
  const list = `${failed.length} of ${experiments.length} experiments (${failed.join(', ')})`;
  if (passed === false)
    reasons.push(failed.length ? `the last game day failed: ${list}` : 'the last game day failed');
  else if (failed.length) reasons.push(`failed experiments: ${list}`);
  else if (passed === null) reasons.push('the last game day has no verdict');
  // Red when the run or any experiment failed; without a verdict, the experiments decide.
  const status: Status =
    passed === false || failed.length
      ? 'red'
      : passed
        ? 'green'
        : worst(...experiments.map((x) => x.status));
  return {
    status,
    reasons,
    lastRunAt: last === null ? null : new Date(last * 1000).toISOString(),
    profile: run?.labels.profile ?? null,
    passed,
    budgetBurned: burns.length ? burns.reduce((a, b) => a + b, 0) : null,
    experiments,
  };
}
