import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Synthetic history for real series: counters that grow at a steady rate, written as OpenMetrics
 * for `promtool tsdb create-blocks-from openmetrics`, and served live afterwards with the same
 * values so that the backfilled series continue. Rule evaluation decodes every sample in a
 * window whatever its value, so the cost it measures is that of the real series count and
 * scrape interval; the values themselves mean nothing.
 */
export interface SyntheticSeries {
  /** All labels, `__name__` included, as Prometheus returned them. */
  labels: Record<string, string>;
  /** The scrape interval of the series' job, in seconds. */
  stepSeconds: number;
}

const escapeValue = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** `name{a="1",b="2"}`, the labels sorted, values escaped as the exposition formats require. */
export function seriesText(labels: Record<string, string>): string {
  const name = labels.__name__;
  if (!name || !/^[A-Za-z_:][A-Za-z0-9_:]*$/.test(name))
    throw new Error(`not a metric name: ${String(name)}`);
  const pairs = Object.entries(labels)
    .filter(([k]) => k !== '__name__')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}="${escapeValue(v)}"`);
  return pairs.length ? `${name}{${pairs.join(',')}}` : name;
}

/** The counter's value at `t` (seconds): 1 to 5 a second by series, from 0 at `origin`. */
export function counterValue(index: number, origin: number, t: number): number {
  return Math.max(0, Math.floor((t - origin) * (1 + (index % 5))));
}

/**
 * Writes every series' samples from `from` to `to` (seconds, both included) at its own step.
 * Without TYPE lines every family is `unknown`, which the backfill accepts for any name.
 */
export async function writeOpenMetrics(
  file: string,
  series: SyntheticSeries[],
  from: number,
  to: number,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<{ samples: number; bytes: number }> {
  const out = createWriteStream(file);
  let samples = 0;
  let bytes = 0;
  const write = async (s: string): Promise<void> => {
    bytes += s.length;
    if (!out.write(s)) await once(out, 'drain');
  };
  // Samples of one metric family must be contiguous: sort by text, which starts with the name.
  const sorted = series
    .map((s, index) => ({ ...s, index, text: seriesText(s.labels) }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  for (const [n, s] of sorted.entries()) {
    if (!(s.stepSeconds > 0)) throw new Error(`step of ${s.text} must be > 0`);
    let chunk = '';
    for (let t = from; t <= to; t += s.stepSeconds) {
      chunk += `${s.text} ${counterValue(s.index, from, t)} ${t}\n`;
      samples++;
      if (chunk.length > 1 << 16) {
        await write(chunk);
        chunk = '';
      }
    }
    if (chunk) await write(chunk);
    onProgress(n + 1, sorted.length);
  }
  await write('# EOF\n');
  out.end();
  await once(out, 'finish');
  return { samples, bytes };
}

/** The text exposition of every series' value now, for a scrape with `honor_labels: true`. */
export function exposition(series: SyntheticSeries[], origin: number, now: number): string {
  return series.map((s, i) => `${seriesText(s.labels)} ${counterValue(i, origin, now)}\n`).join('');
}
