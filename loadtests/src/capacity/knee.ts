/**
 * The search for the knee: the most concurrent visitors the lab holds within the SLO thresholds
 * (p99 ≤ 300 ms, errors ≤ 0.1%). A ladder doubles the visitors until a step fails, then a few
 * bisection steps narrow the gap between the last step that held and the first that did not.
 * Pure: the caller runs each step and says how it went.
 */
export interface StepFigures {
  visitors: number;
  /** Requests per second the generators meant to send, and what they sent. */
  targetRps: number;
  achievedRps: number;
  p99Ms: number;
  errorRate: number;
  /** The generators' own CPU, as a share of the whole machine (0..1). */
  generatorCpuShare: number;
}

export interface StepVerdict extends StepFigures {
  held: boolean;
  why: string[];
}

export const KNEE_LIMITS = { p99Ms: 300, errorRate: 0.001 } as const;

/**
 * The rate the open-model browse generator sent: its requests over the seconds its attacks were
 * asked to last. Not over the run's wall time, which also holds Artillery's start and its last
 * journeys (a step of 40 s took about 120 s, and a held rate read as a third of itself).
 */
export function sentRps(browseLoad: { requests: number; seconds: number }): number {
  return Math.round((browseLoad.requests / Math.max(1, browseLoad.seconds)) * 10) / 10;
}

export function judgeStep(s: StepFigures, limits = KNEE_LIMITS): StepVerdict {
  const why: string[] = [];
  if (s.p99Ms > limits.p99Ms) why.push(`p99 ${s.p99Ms} ms > ${limits.p99Ms} ms`);
  if (s.errorRate > limits.errorRate)
    why.push(`errors ${(s.errorRate * 100).toFixed(2)}% > ${limits.errorRate * 100}%`);
  // An open model that could not send its rate measured the generator, not the store.
  if (s.achievedRps < 0.9 * s.targetRps) why.push(`sent ${s.achievedRps} of ${s.targetRps} req/s`);
  return { ...s, held: why.length === 0, why };
}

/**
 * The next number of visitors to try, or null when the search is done. Doubling from `start`
 * up to `max`; after the first failure, bisection until the gap is within `resolution` (a
 * share of the last step that held) or `maxSteps` steps have run.
 */
export function nextVisitors(
  steps: StepVerdict[],
  o: { start: number; max: number; resolution?: number; maxSteps?: number },
): number | null {
  if (steps.length >= (o.maxSteps ?? 10)) return null;
  if (!steps.length) return o.start;
  const held = steps.filter((s) => s.held).map((s) => s.visitors);
  const failed = steps.filter((s) => !s.held).map((s) => s.visitors);
  const lo = held.length ? Math.max(...held) : 0;
  const hi = failed.length ? Math.min(...failed) : null;
  if (hi === null) {
    if (lo >= o.max) return null;
    return Math.min(o.max, lo * 2);
  }
  if (hi <= o.start && lo === 0) return null; // even the first step failed
  const gap = hi - lo;
  if (gap <= Math.max(1, (o.resolution ?? 0.15) * Math.max(lo, 1))) return null;
  return Math.round((lo + hi) / 2);
}

/** The knee and what limited it: the generator (it could not send or used most of a core) or the system. */
export function kneeOf(steps: StepVerdict[], cores: number) {
  const held = steps.filter((s) => s.held).sort((a, b) => b.visitors - a.visitors);
  const failed = steps.filter((s) => !s.held).sort((a, b) => a.visitors - b.visitors);
  const knee = held[0] ?? null;
  const first = failed[0] ?? null;
  let limitedBy: 'generator' | 'system' | 'none (the largest step held)' =
    'none (the largest step held)';
  let why = '';
  if (first) {
    const genCores = first.generatorCpuShare * cores;
    if (first.achievedRps < 0.9 * first.targetRps) {
      limitedBy = 'generator';
      why = `the generators sent ${first.achievedRps} of ${first.targetRps} req/s at ${first.visitors} visitors`;
    } else if (genCores >= 0.75) {
      limitedBy = 'generator';
      why = `the generators used ${genCores.toFixed(2)} of ${cores} cores at ${first.visitors} visitors, leaving the lab the rest`;
    } else {
      limitedBy = 'system';
      why = `at ${first.visitors} visitors: ${first.why.join('; ')} (generators ${genCores.toFixed(2)} of ${cores} cores)`;
    }
  }
  return { visitors: knee?.visitors ?? 0, step: knee, firstFailed: first, limitedBy, why };
}
