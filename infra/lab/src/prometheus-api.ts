import { ALERTMANAGER_URL, PROMETHEUS_URL } from './paths';

/** The parts of Prometheus's HTTP API the lab's monitoring tests read. */
export interface ScrapeTarget {
  job: string;
  instance: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

async function getJson(url: string): Promise<unknown> {
  const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status} ${await r.text()}`);
  return r.json();
}

export async function activeTargets(base = PROMETHEUS_URL): Promise<ScrapeTarget[]> {
  const body = (await getJson(`${base}/api/v1/targets?state=active`)) as {
    data: {
      activeTargets: {
        labels: Record<string, string>;
        health: ScrapeTarget['health'];
        lastError: string;
      }[];
    };
  };
  return body.data.activeTargets.map((t) => ({
    job: t.labels.job ?? '',
    instance: t.labels.instance ?? '',
    health: t.health,
    lastError: t.lastError,
  }));
}

/** An instant query; a non-numeric value (NaN, +Inf) is kept as such. */
export async function instant(query: string, base = PROMETHEUS_URL): Promise<Sample[]> {
  const body = (await getJson(`${base}/api/v1/query?query=${encodeURIComponent(query)}`)) as {
    data: {
      resultType: string;
      result: { metric: Record<string, string>; value: [number, string] }[];
    };
  };
  if (body.data.resultType !== 'vector')
    throw new Error(`expected a vector from ${query}, got ${body.data.resultType}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** Rule groups as Prometheus loaded them (names and rule counts prove the files arrived). */
export async function ruleGroups(
  base = PROMETHEUS_URL,
): Promise<{ name: string; file: string; rules: { name: string; type: string }[] }[]> {
  const body = (await getJson(`${base}/api/v1/rules`)) as {
    data: { groups: { name: string; file: string; rules: { name: string; type: string }[] }[] };
  };
  return body.data.groups;
}

/** Alerts Alertmanager holds now (API v2). */
export async function alertmanagerAlerts(
  base = ALERTMANAGER_URL,
): Promise<{ labels: Record<string, string>; status: { state: string } }[]> {
  return (await getJson(`${base}/api/v2/alerts`)) as {
    labels: Record<string, string>;
    status: { state: string };
  }[];
}

/** Sends alerts straight to Alertmanager, as Prometheus would (API v2). */
export async function postAlerts(alerts: unknown[], base = ALERTMANAGER_URL): Promise<void> {
  const r = await fetch(`${base}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
    signal: AbortSignal.timeout(10_000),
  });
  if (!r.ok) throw new Error(`POST ${base}/api/v2/alerts: HTTP ${r.status} ${await r.text()}`);
}
