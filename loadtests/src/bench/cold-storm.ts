/**
 * How long a cold start held the browse mix back (ADR 0206, "What the figure depends on").
 *
 * When the open model starts, every catalogue URL misses the edge's cache at once, and the api
 * loads them all while each is asked for again several times a second. The storm is over at the
 * first of `calm` seconds in a row whose p99 is at most `thresholdMs`; its length is that
 * second's index (0 when the attack never stormed). null when the window ends still stormy.
 */
export function stormSeconds(
  perSecondP99Ms: number[],
  thresholdMs: number,
  calm = 2,
): number | null {
  if (!Number.isInteger(calm) || calm < 1)
    throw new Error(`calm must be a whole number >= 1, got ${calm}`);
  for (let s = 0; s + calm <= perSecondP99Ms.length; s++) {
    if (perSecondP99Ms.slice(s, s + calm).every((v) => v <= thresholdMs)) return s;
  }
  return null;
}

/** ADR 0206's threshold: a second is calm again when its p99 is under 300 ms. */
export const STORM_CALM_P99_MS = 300;
