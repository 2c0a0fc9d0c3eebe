/**
 * Prometheus's duration syntax (`30s`, `5m`, `1h30m`, `3d`, `250ms`), the one form every
 * interval, window and deadline in this repository is written in: Prometheus's configuration and
 * rules, the SLO specs, Argo Workflow deadlines (a Go duration is a subset of it).
 */
const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  y: 31536000,
};
// Units largest first, each at most once, as Prometheus requires (`1h30m`, not `30m1h`).
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
const PART = /(\d+)(ms|[ywdhms])/y;

/** A duration in seconds; a clear error names what is wrong and where it came from. */
export function durationSeconds(text: string, where = 'duration'): number {
  if (typeof text !== 'string' || text.length === 0)
    throw new Error(
      `${where}: expected a duration like 30s, 5m or 1h30m, got ${JSON.stringify(text)}`,
    );
  let total = 0;
  let last = -1;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    const rank = m ? ORDER.indexOf(m[2]!) : -1;
    if (!m || rank <= last)
      throw new Error(`${where}: "${text}" is not a duration (30s, 5m, 1h30m, 3d, 250ms)`);
    last = rank;
    total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  }
  return total;
}

/** Whether `text` is a Prometheus duration. */
export function isDuration(text: string): boolean {
  try {
    durationSeconds(text);
    return true;
  } catch {
    return false;
  }
}
