/** Plain-text output for a terminal: a table of log lines and a per-service trend chart. */
import type { LogLine, Trend } from './investigate';

type Column = { title: string; get: (l: LogLine) => string; max: number };

const COLUMNS: Column[] = [
  {
    title: 'TIME (UTC)',
    get: (l) => l.time.replace('T', ' ').replace(/\.(\d{3})\d*Z$/, '.$1'),
    max: 23,
  },
  { title: 'SERVICE', get: (l) => l.service, max: 18 },
  { title: 'TASK', get: (l) => shortTask(l.task), max: 22 },
  { title: 'LEVEL', get: (l) => l.level || (l.stream === 'stderr' ? 'stderr' : ''), max: 6 },
  { title: 'STATUS', get: (l) => l.status, max: 6 },
  { title: 'ROUTE', get: (l) => [l.method, l.route].filter(Boolean).join(' '), max: 32 },
  { title: 'REQUEST ID', get: (l) => l.reqId, max: 36 },
  { title: 'MESSAGE', get: (l) => l.msg.replace(/\s+/g, ' '), max: 80 },
];

/** dhakacart_api.2.ukpy0xyz... -> api.2.ukpy0x (enough to tell replicas apart). */
function shortTask(task: string): string {
  const m = /^[^_]+_(.+)\.(\d+)\.([a-z0-9]{6})[a-z0-9]*$/.exec(task);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : task;
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function renderTable(lines: LogLine[]): string {
  const cols = COLUMNS.filter(
    (c) => c.title === 'TIME (UTC)' || c.title === 'MESSAGE' || lines.some((l) => c.get(l)),
  );
  const cells = lines.map((l) => cols.map((c) => cut(c.get(l), c.max)));
  const widths = cols.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  return [fmt(cols.map((c) => c.title)), ...cells.map(fmt)].join('\n') + '\n';
}

const BARS = ' ▁▂▃▄▅▆▇█';

/** One row of bars, scaled to `max` (0 draws a blank, any non-zero value at least ▁). */
export function sparkline(values: number[], max: number): string {
  return values
    .map((v) => {
      if (v <= 0 || max <= 0) return BARS[0];
      return BARS[Math.max(1, Math.round((v / max) * (BARS.length - 1)))];
    })
    .join('');
}

const perMinute = (count: number, stepSeconds: number) => (count * 60) / stepSeconds;
const fmtRate = (r: number) => (r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2));

/**
 * For each service two rows on one time axis: requests per minute and errors per minute, each
 * scaled to its own peak (printed at the right), so a quiet service's errors still show.
 */
export function renderTrend(t: Trend): string {
  if (!t.services.length) return `no log lines in the last ${t.since}\n`;
  const width = t.buckets.length;
  const name = Math.max(...t.services.map((s) => s.service.length), 7);
  const head = `requests and errors per minute, last ${t.since}, one column = ${t.step}`;
  const out = [head, ''];
  for (const s of t.services) {
    const req = s.points.map((p) => perMinute(p.requests, t.stepSeconds));
    const err = s.points.map((p) => perMinute(p.errors, t.stepSeconds));
    const rMax = Math.max(0, ...req);
    const eMax = Math.max(0, ...err);
    out.push(`${s.service.padEnd(name)}  req │${sparkline(req, rMax)}│ peak ${fmtRate(rMax)}/min`);
    out.push(
      `${''.padEnd(name)}  err │${sparkline(err, eMax)}│ peak ${fmtRate(eMax)}/min${eMax > 0 ? '  ◀ errors' : ''}`,
    );
  }
  const first = t.buckets[0]!.slice(11, 16);
  const last = t.buckets[width - 1]!.slice(11, 16);
  const axis = `${first}${' '.repeat(Math.max(1, width - first.length - last.length))}${last}`;
  out.push(`${''.padEnd(name)}       ${axis}  (UTC)`);
  return out.join('\n') + '\n';
}
