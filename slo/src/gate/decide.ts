// The error-budget gate's decision, as a pure function of what Prometheus said and the policy.
// Fails closed: anything unknown is "undecidable" (exit 2), never "pass".

export type Verdict = 'pass' | 'breach' | 'undecidable';

export const EXIT_CODES: Record<Verdict, 0 | 1 | 2> = { pass: 0, breach: 1, undecidable: 2 };

export const RELEASE_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type ReleaseWindow = (typeof RELEASE_WINDOWS)[number];

export interface GatePolicy {
  /** Breach when the remaining 30-day budget ratio is below this (0.25 = 25%). */
  minBudgetRemaining: number;
  /** Breach when the burn rate over `releaseWindow` is above this multiple of the budget rate. */
  maxReleaseBurn: number;
  releaseWindow: ReleaseWindow;
}

export const DEFAULT_POLICY: GatePolicy = {
  minBudgetRemaining: 0.25,
  maxReleaseBurn: 2,
  releaseWindow: '1h',
};

/** One SLO as read from Prometheus; undefined = no sample, NaN = a sample without meaning. */
export interface SloObservation {
  id: string;
  service: string;
  slo: string;
  objective?: number;
  /** slo:sli_error:ratio_rate30d */
  periodErrorRatio?: number;
  /** slo:period_error_budget_remaining:ratio */
  budgetRemaining?: number;
  /** slo:sli_error:ratio_rate<releaseWindow> */
  releaseErrorRatio?: number;
}

export interface FiringAlert {
  alertname: string;
  /** Set for Sloth SLO alerts. */
  slothId?: string;
}

export type GateInput =
  | { reachable: false; error: string }
  | { reachable: true; slos: SloObservation[]; firingPageAlerts: FiringAlert[] };

export interface SloVerdict {
  id: string;
  objective: number | null;
  sli: number | null;
  budgetRemaining: number | null;
  releaseBurn: number | null;
  verdict: Verdict;
  reasons: string[];
}

export interface GateDecision {
  verdict: Verdict;
  exitCode: 0 | 1 | 2;
  policy: GatePolicy;
  slos: SloVerdict[];
  /** Reasons not tied to one SLO (unreachable, unknown SLO, infrastructure pages). */
  reasons: string[];
}

const known = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n);
const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;

function judgeSlo(o: SloObservation, pages: FiringAlert[], policy: GatePolicy): SloVerdict {
  const breaches: string[] = [];
  const unknowns: string[] = [];
  const objectiveRatio =
    known(o.objective) && o.objective > 0 && o.objective <= 1 ? o.objective : undefined;
  const budget = objectiveRatio !== undefined ? 1 - objectiveRatio : undefined;

  for (const a of pages) breaches.push(`page alert ${a.alertname} is firing`);

  if (!known(o.budgetRemaining)) unknowns.push('no data for the remaining error budget');
  else if (o.budgetRemaining < policy.minBudgetRemaining) {
    breaches.push(
      `error budget left ${pct(o.budgetRemaining)} < ${pct(policy.minBudgetRemaining)}`,
    );
  }

  let releaseBurn: number | undefined;
  if (objectiveRatio === undefined) unknowns.push('no objective recorded');
  else if (!known(o.releaseErrorRatio))
    unknowns.push(`no data for the ${policy.releaseWindow} error ratio`);
  else if (budget === 0) {
    // A 100% objective has no budget: any error is an infinite burn, none is zero.
    releaseBurn = o.releaseErrorRatio > 0 ? Infinity : 0;
  } else releaseBurn = o.releaseErrorRatio / (budget as number);
  if (releaseBurn !== undefined && releaseBurn > policy.maxReleaseBurn) {
    breaches.push(
      `burn rate over ${policy.releaseWindow} ${releaseBurn.toFixed(2)}x > ${policy.maxReleaseBurn}x`,
    );
  }

  const verdict: Verdict =
    breaches.length > 0 ? 'breach' : unknowns.length > 0 ? 'undecidable' : 'pass';
  return {
    id: o.id,
    objective: objectiveRatio ?? null,
    sli: known(o.periodErrorRatio) ? 1 - o.periodErrorRatio : null,
    budgetRemaining: known(o.budgetRemaining) ? o.budgetRemaining : null,
    releaseBurn: releaseBurn ?? null,
    verdict,
    reasons: [...breaches, ...unknowns],
  };
}

/**
 * Decides whether a release may proceed. `selected` restricts the SLOs judged (page alerts of
 * other SLOs are then ignored, infrastructure pages never are).
 */
export function decideGate(input: GateInput, policy: GatePolicy, selected?: string): GateDecision {
  const done = (verdict: Verdict, slos: SloVerdict[], reasons: string[]): GateDecision => ({
    verdict,
    exitCode: EXIT_CODES[verdict],
    policy,
    slos,
    reasons,
  });
  if (!input.reachable) return done('undecidable', [], [`Prometheus unreachable: ${input.error}`]);

  const slos = selected ? input.slos.filter((s) => s.id === selected) : input.slos;
  const reasons: string[] = [];
  const infraPages = input.firingPageAlerts.filter((a) => !a.slothId);
  for (const a of infraPages) reasons.push(`page alert ${a.alertname} is firing`);

  if (slos.length === 0) {
    reasons.push(
      selected ? `SLO "${selected}" not found in Prometheus` : 'no SLOs found in Prometheus',
    );
    return done(infraPages.length > 0 ? 'breach' : 'undecidable', [], reasons);
  }
  const verdicts = [...slos]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((s) =>
      judgeSlo(
        s,
        input.firingPageAlerts.filter((a) => a.slothId === s.id),
        policy,
      ),
    );
  const all = verdicts.map((v) => v.verdict);
  const verdict: Verdict =
    infraPages.length > 0 || all.includes('breach')
      ? 'breach'
      : all.includes('undecidable')
        ? 'undecidable'
        : 'pass';
  return done(verdict, verdicts, reasons);
}
