import { ALERTMANAGER_URL, PROMETHEUS_URL } from './endpoints';
import { opsRequest } from './ops';

/**
 * The parts of Prometheus's and Alertmanager's HTTP APIs the lab's tools and tests use. The lab's
 * endpoints are reached over TLS with the operators' credentials (`opsRequest`).
 */
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
  const r = await opsRequest(url);
  if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
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

/** The label sets of every series matching `match` with a sample since `start` (Unix seconds). */
export async function seriesSince(
  match: string,
  start: number,
  base = PROMETHEUS_URL,
): Promise<Record<string, string>[]> {
  const q = `match[]=${encodeURIComponent(match)}&start=${start}`;
  const body = (await getJson(`${base}/api/v1/series?${q}`)) as { data: Record<string, string>[] };
  return body.data;
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
  const r = await opsRequest(`${base}/api/v2/alerts`, { method: 'POST', body: alerts });
  if (r.status !== 200) throw new Error(`POST ${base}/api/v2/alerts: HTTP ${r.status} ${r.text}`);
}

/** A range query: one series of [seconds, value] points per result. */
export async function rangeQuery(
  query: string,
  startSeconds: number,
  endSeconds: number,
  stepSeconds: number,
  base = PROMETHEUS_URL,
): Promise<{ metric: Record<string, string>; values: [number, number][] }[]> {
  const q = new URLSearchParams({
    query,
    start: String(startSeconds),
    end: String(endSeconds),
    step: String(stepSeconds),
  });
  const body = (await getJson(`${base}/api/v1/query_range?${q}`)) as {
    data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
  };
  return body.data.result.map((r) => ({
    metric: r.metric,
    values: r.values.map(([t, v]) => [t, Number(v)] as [number, number]),
  }));
}

/** An instant query evaluated at a given time (seconds). */
export async function instantAt(query: string, atSeconds: number, base = PROMETHEUS_URL) {
  const body = (await getJson(
    `${base}/api/v1/query?query=${encodeURIComponent(query)}&time=${atSeconds}`,
  )) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** One matcher of a silence (Alertmanager API v2). */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex?: boolean;
  isEqual?: boolean;
}

export interface Silence {
  id: string;
  status: { state: 'active' | 'pending' | 'expired' };
  matchers: Required<SilenceMatcher>[];
  createdBy: string;
  comment: string;
  startsAt: string;
  endsAt: string;
}

/** Creates a silence from now for `durationMs`; resolves with its id. */
export async function createSilence(
  s: { matchers: SilenceMatcher[]; durationMs: number; createdBy: string; comment: string },
  base = ALERTMANAGER_URL,
): Promise<string> {
  const now = Date.now();
  const r = await opsRequest(`${base}/api/v2/silences`, {
    method: 'POST',
    body: {
      matchers: s.matchers.map((m) => ({ isRegex: false, isEqual: true, ...m })),
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + s.durationMs).toISOString(),
      createdBy: s.createdBy,
      comment: s.comment,
    },
  });
  if (r.status !== 200)
    throw new Error(`POST ${base}/api/v2/silences: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  const id = r.json<{ silenceID?: unknown }>().silenceID;
  if (typeof id !== 'string') throw new Error(`POST ${base}/api/v2/silences: no silenceID`);
  return id;
}

/** Silences Alertmanager knows, expired ones included (they are kept a while). */
export async function silences(base = ALERTMANAGER_URL): Promise<Silence[]> {
  return (await getJson(`${base}/api/v2/silences`)) as Silence[];
}

/** Ends a silence now. */
export async function expireSilence(id: string, base = ALERTMANAGER_URL): Promise<void> {
  const r = await opsRequest(`${base}/api/v2/silence/${encodeURIComponent(id)}`, {
    method: 'DELETE',
  });
  if (r.status !== 200)
    throw new Error(
      `DELETE ${base}/api/v2/silence/${id}: HTTP ${r.status} ${r.text.slice(0, 300)}`,
    );
}
