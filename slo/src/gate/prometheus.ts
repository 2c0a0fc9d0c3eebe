import type { FiringAlert, GateInput, ReleaseWindow, SloObservation } from './decide';

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Runs one instant query; throws on transport errors and non-success responses. */
export async function instantQuery(
  base: string,
  query: string,
  timeoutMs: number,
): Promise<VectorSample[]> {
  const url = new URL('api/v1/query', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('query', query);
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json().catch(() => undefined)) as
    | { status: string; error?: string; data?: { resultType: string; result: VectorSample[] } }
    | undefined;
  if (!res.ok || body?.status !== 'success' || body.data?.resultType !== 'vector') {
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
): Promise<GateInput> {
  const sel = selected ? `{sloth_id=${JSON.stringify(selected)}}` : '';
  try {
    const [objectives, remaining, period, release, alerts] = await Promise.all([
      instantQuery(base, `slo:objective:ratio${sel}`, timeoutMs),
      instantQuery(base, `slo:period_error_budget_remaining:ratio${sel}`, timeoutMs),
      instantQuery(base, `slo:sli_error:ratio_rate30d${sel}`, timeoutMs),
      instantQuery(base, `slo:sli_error:ratio_rate${window}${sel}`, timeoutMs),
      instantQuery(base, 'ALERTS{alertstate="firing"}', timeoutMs),
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
