// Sloth's Kubernetes format (`apiVersion: sloth.slok.dev/v1`, `kind: PrometheusServiceLevel`)
// carries the same spec under `spec:` with camelCase keys. It is translated to prometheus/v1 so
// one schema validates both, and error fields are translated back so they name what the author
// wrote (`spec.slos[0].sli.events.errorQuery`).

export const K8S_API_VERSION = 'sloth.slok.dev/v1';
export const K8S_KIND = 'PrometheusServiceLevel';

const RENAMES: Record<string, string> = {
  sloPlugins: 'slo_plugins',
  errorQuery: 'error_query',
  totalQuery: 'total_query',
  errorRatioQuery: 'error_ratio_query',
  pageAlert: 'page_alert',
  ticketAlert: 'ticket_alert',
};
const BACK = Object.fromEntries(Object.entries(RENAMES).map(([k, v]) => [v, k]));

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function rename(o: unknown, keys: string[]): unknown {
  if (!isObj(o)) return o;
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [keys.includes(k) ? RENAMES[k] : k, v]),
  );
}

export function isK8sDocument(raw: unknown): boolean {
  return isObj(raw) && raw.apiVersion === K8S_API_VERSION;
}

/** Problems with the Kubernetes envelope, or the equivalent prometheus/v1 document. */
export function fromK8s(raw: Obj): {
  problems: { field: string; reason: string }[];
  spec?: unknown;
} {
  const problems: { field: string; reason: string }[] = [];
  if (raw.kind !== K8S_KIND) problems.push({ field: 'kind', reason: `must be "${K8S_KIND}"` });
  const extra = Object.keys(raw).filter(
    (k) => !['apiVersion', 'kind', 'metadata', 'spec'].includes(k),
  );
  if (extra.length)
    problems.push({ field: extra[0] as string, reason: `unknown field(s): ${extra.join(', ')}` });
  if (!isObj(raw.spec)) problems.push({ field: 'spec', reason: 'required object' });
  if (problems.length || !isObj(raw.spec)) return { problems };
  const spec = rename(raw.spec, ['sloPlugins']) as Obj;
  const slos = Array.isArray(spec.slos)
    ? spec.slos.map((slo: unknown) => {
        if (!isObj(slo)) return slo;
        const sli = isObj(slo.sli)
          ? {
              ...slo.sli,
              ...(slo.sli.events !== undefined
                ? { events: rename(slo.sli.events, ['errorQuery', 'totalQuery']) }
                : {}),
              ...(slo.sli.raw !== undefined
                ? { raw: rename(slo.sli.raw, ['errorRatioQuery']) }
                : {}),
            }
          : slo.sli;
        const alerting =
          slo.alerting === undefined
            ? undefined
            : rename(slo.alerting, ['pageAlert', 'ticketAlert']);
        return { ...slo, sli, ...(alerting !== undefined ? { alerting } : {}) };
      })
    : spec.slos;
  return { problems, spec: { version: 'prometheus/v1', ...spec, slos } };
}

/** `slos[0].sli.events.error_query` → `spec.slos[0].sli.events.errorQuery`. */
export function k8sField(field: string): string {
  if (field === 'version') return 'apiVersion';
  const mapped = field.replace(/[a-z_]+/g, (seg) => BACK[seg] ?? seg);
  return field === '(root)' ? 'spec' : `spec.${mapped}`;
}
