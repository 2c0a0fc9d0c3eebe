import http from 'node:http';
import https from 'node:https';
import type { FiringAlert, GateInput, ReleaseWindow, SloObservation } from './decide';

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/**
 * How to reach a Prometheus behind TLS and basic auth (the lab's, through its edge): the CA to
 * trust instead of the system's, and the Authorization header to send. Empty for a plain one.
 */
export interface PrometheusAccess {
  ca?: Buffer;
  authorization?: string;
}

/** One GET; resolves with the status and body, rejects on a transport error or the deadline. */
function get(
  url: URL,
  timeoutMs: number,
  access: PrometheusAccess,
): Promise<{ status: number; text: string }> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method: 'GET',
        headers: {
          accept: 'application/json',
          ...(access.authorization ? { authorization: access.authorization } : {}),
        },
        ...(url.protocol === 'https:' && access.ca ? { ca: access.ca } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end();
  });
}

/** Runs one instant query; throws on transport errors and non-success responses. */
export async function instantQuery(
  base: string,
  query: string,
  timeoutMs: number,
  access: PrometheusAccess = {},
): Promise<VectorSample[]> {
  const url = new URL('api/v1/query', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('query', query);
  const res = await get(url, timeoutMs, access);
  let body:
    | { status: string; error?: string; data?: { resultType: string; result: VectorSample[] } }
    | undefined;
  try {
    body = JSON.parse(res.text) as typeof body;
  } catch {
    body = undefined;
  }
  if (res.status !== 200 || body?.status !== 'success' || body.data?.resultType !== 'vector') {
    throw new Error(`query ${query} failed: HTTP ${res.status} ${body?.error ?? ''}`.trim());
  }
  return body.data.result;
}

/** Reads what the gate needs from Prometheus. Any failure becomes `reachable: false`. */
export async function observe(
  base: string,
  window: ReleaseWindow,
  timeoutMs: number,
  selected?: string,
  access: PrometheusAccess = {},
): Promise<GateInput> {
  const sel = selected ? `{sloth_id=${JSON.stringify(selected)}}` : '';
  try {
    const [objectives, remaining, period, release, alerts] = await Promise.all([
      instantQuery(base, `slo:objective:ratio${sel}`, timeoutMs, access),
      instantQuery(base, `slo:period_error_budget_remaining:ratio${sel}`, timeoutMs, access),
      instantQuery(base, `slo:sli_error:ratio_rate30d${sel}`, timeoutMs, access),
      instantQuery(base, `slo:sli_error:ratio_rate${window}${sel}`, timeoutMs, access),
      instantQuery(base, 'ALERTS{alertstate="firing"}', timeoutMs, access),
    ]);
    const slos = new Map<string, SloObservation>();
    const entry = (m: Record<string, string>): SloObservation | undefined => {
      const id = m.sloth_id;
      if (!id) return undefined;
      let o = slos.get(id);
      if (!o) {
        o = { id, service: m.sloth_service ?? '', slo: m.sloth_slo ?? '' };
        slos.set(id, o);
      }
      return o;
    };
    const num = (s: VectorSample): number => Number.parseFloat(s.value[1]);
    for (const s of objectives) entry(s.metric)!.objective = num(s);
    // Only SLOs with a recorded objective exist; stray series for others are ignored.
    const existing = (s: VectorSample): SloObservation | undefined =>
      s.metric.sloth_id ? slos.get(s.metric.sloth_id) : undefined;
    for (const s of remaining) {
      const o = existing(s);
      if (o) o.budgetRemaining = num(s);
    }
    for (const s of period) {
      const o = existing(s);
      if (o) o.periodErrorRatio = num(s);
    }
    for (const s of release) {
      const o = existing(s);
      if (o) o.releaseErrorRatio = num(s);
    }
    const firingPageAlerts: FiringAlert[] = alerts
      .filter((a) => a.metric.severity === 'page' || a.metric.sloth_severity === 'page')
      .map((a) => ({
        alertname: a.metric.alertname ?? '(unnamed)',
        ...(a.metric.sloth_id ? { slothId: a.metric.sloth_id } : {}),
      }));
    return { reachable: true, slos: [...slos.values()], firingPageAlerts };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const cause = err.cause?.code ?? err.cause?.message;
    return { reachable: false, error: cause ? `${err.message} (${cause})` : err.message };
  }
}
