import { opsRequest } from './ops';

/**
 * The Prometheus Pushgateway of the lab (a short-lived job's metrics, scraped by Prometheus with
 * their own labels). Pushes replace the group named by `job` and the grouping labels. The lab's
 * Pushgateway (PUSHGATEWAY_URL) is reached over TLS with the operators' credentials.
 */
export interface PushSample {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  labels: Record<string, string>;
  value: number;
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Prometheus text exposition of samples, grouped by metric name. */
export function exposition(samples: PushSample[]): string {
  const byName = new Map<string, PushSample[]>();
  for (const s of samples) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const [name, list] of byName) {
    lines.push(`# HELP ${name} ${list[0]!.help}`, `# TYPE ${name} ${list[0]!.type}`);
    for (const s of list) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${esc(v)}"`)
        .join(',');
      lines.push(
        `${name}${labels ? `{${labels}}` : ''} ${Number.isFinite(s.value) ? s.value : 'NaN'}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

export async function push(
  baseUrl: string,
  job: string,
  grouping: Record<string, string>,
  samples: PushSample[],
  headers: Record<string, string> = {},
): Promise<void> {
  const path = [`/metrics/job/${encodeURIComponent(job)}`]
    .concat(Object.entries(grouping).map(([k, v]) => `${k}/${encodeURIComponent(v)}`))
    .join('/');
  const r = await opsRequest(`${baseUrl}${path}`, {
    method: 'PUT',
    rawBody: exposition(samples),
    headers: { 'content-type': 'text/plain; version=0.0.4', ...headers },
    timeoutMs: 5000,
  });
  if (r.status < 200 || r.status >= 300)
    throw new Error(`Pushgateway answered ${r.status}: ${r.text.slice(0, 200)}`);
}
