/**
 * The visitor model (docs/adr/0501-visitor-model.md). A visitor reads a page, thinks, and asks
 * for the next; a page view costs one or two API calls. Little's law turns concurrent visitors
 * into arrival rates: L = λ × W, so λ = visitors / (think time + page time).
 */

/** Think time between two page views: log-normal, median 8 s, σ 0.67, so a mean of 10 s. */
export const THINK_TIME = { distribution: 'lognormal', medianSeconds: 8, sigma: 0.67 } as const;

/** The mean of the log-normal think time: median × e^(σ²/2). */
export const MEAN_THINK_SECONDS =
  THINK_TIME.medianSeconds * Math.exp((THINK_TIME.sigma * THINK_TIME.sigma) / 2);

/** What a page view takes the system to serve, at the latency objective (p99 300 ms). */
export const PAGE_SECONDS = 0.3;

/** Seconds one page view occupies a visitor: think time plus the page itself. */
export const SECONDS_PER_PAGE_VIEW = MEAN_THINK_SECONDS + PAGE_SECONDS;

/** Seconds per page view with think times scaled by `thinkScale` (short runs use < 1). */
export function secondsPerPageView(thinkScale = 1): number {
  return MEAN_THINK_SECONDS * thinkScale + PAGE_SECONDS;
}

/** Page views per second that `visitors` concurrent visitors produce (Little's law). */
export function pageViewsPerSecond(visitors: number, thinkScale = 1): number {
  return visitors / secondsPerPageView(thinkScale);
}

/** Arrivals per second of a journey of `pages` page views that `visitors` visitors are on. */
export function journeysPerSecond(visitors: number, pages: number, thinkScale = 1): number {
  return visitors / (pages * secondsPerPageView(thinkScale));
}

/** One think time drawn from the distribution (Box-Muller), in seconds, capped at 60 s. */
export function drawThinkSeconds(random: () => number = Math.random): number {
  const u = 1 - random();
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(60, THINK_TIME.medianSeconds * Math.exp(THINK_TIME.sigma * z));
}

/** Visitors the model allows: a negative, fractional or absurd count is refused. */
export const MAX_VISITORS = 1_000_000;

export function checkVisitors(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_VISITORS)
    throw new Error(
      `--visitors must be a whole number from 1 to ${MAX_VISITORS.toLocaleString('en')}`,
    );
  return n;
}
