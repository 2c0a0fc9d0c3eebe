import { join } from 'node:path';
import { instant } from '@dhakacart/lab-client';
import { loadSpecs, SLO_ROOT } from '@dhakacart/slo';

/**
 * The release's gate: the new version judged by its OWN series (every api series carries
 * `version`; slo/rules/release.yaml records them over 1 minute). A version breaches when it
 * spends error budget 14.4 times faster than the 30-day objectives allow, the fast-burn page
 * threshold of the SLO alerts (ADR 0204): at 99.9% availability that is 1.44% of requests failing.
 */
export const FAST_BURN = 14.4;

export type Verdict = 'pass' | 'breach' | 'undecidable';

export interface GateReading {
  verdict: Verdict;
  reasons: string[];
  observed: Record<string, number>;
}

export interface GateLimits {
  maxErrorRatio: number;
  maxCheckoutErrorRatio: number;
  maxBrowseSlowRatio: number;
  /** Requests per second the version must serve before it can be judged at all. */
  minRequestsPerSecond: number;
}

/** The limits from the SLO specs: each objective's allowed error ratio times the fast burn. */
export function gateLimits(): GateLimits {
  const slos = loadSpecs(join(SLO_ROOT, 'specs'));
  const allowed = (name: string, fallback: number) => {
    const s = slos.find((x) => x.name === name);
    return s ? 1 - s.objective / 100 : fallback;
  };
  return {
    maxErrorRatio: FAST_BURN * allowed('browse-availability', 0.001),
    maxCheckoutErrorRatio: FAST_BURN * allowed('checkout-availability', 0.001),
    maxBrowseSlowRatio: FAST_BURN * allowed('browse-latency', 0.01),
    minRequestsPerSecond: 0.5,
  };
}

/** Decides from one reading of the version's series (a pure function, tested apart). */
export function decide(observed: Record<string, number | undefined>, l: GateLimits): GateReading {
  const obs: Record<string, number> = {};
  for (const [k, v] of Object.entries(observed))
    if (v !== undefined && Number.isFinite(v)) obs[k] = v;
  const reasons: string[] = [];
  if ((obs.requestsPerSecond ?? 0) < l.minRequestsPerSecond)
    return {
      verdict: 'undecidable',
      reasons: [
        `the new version served ${obs.requestsPerSecond ?? 0} requests/s (need ${l.minRequestsPerSecond})`,
      ],
      observed: obs,
    };
  // Checkout is the journey a release is most likely to break and the drill breaks: a window
  // without a single checkout proves nothing about it (a load that never started looks healthy).
  if (!((obs.checkoutRequestsPerSecond ?? 0) > 0))
    return {
      verdict: 'undecidable',
      reasons: ['the new version served no checkouts in its window: nothing proves checkout works'],
      observed: obs,
    };
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  if ((obs.errorRatio ?? 0) > l.maxErrorRatio)
    reasons.push(`${pct(obs.errorRatio!)} of its requests failed (limit ${pct(l.maxErrorRatio)})`);
  if ((obs.checkoutErrorRatio ?? 0) > l.maxCheckoutErrorRatio)
    reasons.push(
      `${pct(obs.checkoutErrorRatio!)} of its checkouts failed (limit ${pct(l.maxCheckoutErrorRatio)})`,
    );
  if ((obs.browseSlowRatio ?? 0) > l.maxBrowseSlowRatio)
    reasons.push(
      `${pct(obs.browseSlowRatio!)} of its browse requests were slower than 300 ms (limit ${pct(l.maxBrowseSlowRatio)})`,
    );
  return { verdict: reasons.length ? 'breach' : 'pass', reasons, observed: obs };
}

/** Reads the version's 1-minute series and decides; Prometheus unreachable is undecidable. */
export async function readGate(version: string, l: GateLimits): Promise<GateReading> {
  const q = async (rule: string) => {
    const rows = await instant(`${rule}{version="${version}"}`);
    return rows[0]?.value;
  };
  try {
    const [
      requestsPerSecond,
      errorRatio,
      checkoutRequestsPerSecond,
      checkoutErrorRatio,
      browseSlowRatio,
    ] = await Promise.all([
      q('version:api_requests:rate1m'),
      q('version:api_errors:ratio_rate1m'),
      q('version:checkout_requests:rate1m'),
      q('version:checkout_errors:ratio_rate1m'),
      q('version:browse_slow:ratio_rate1m'),
    ]);
    return decide(
      {
        requestsPerSecond,
        errorRatio,
        checkoutRequestsPerSecond,
        checkoutErrorRatio,
        browseSlowRatio,
      },
      l,
    );
  } catch (e) {
    return {
      verdict: 'undecidable',
      reasons: [`Prometheus did not answer: ${(e as Error).message}`],
      observed: {},
    };
  }
}
