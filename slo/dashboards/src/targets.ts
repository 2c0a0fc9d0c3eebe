import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

export interface PanelInfo {
  title: string;
  type: string;
  exprs: string[];
  thresholdColors: string[];
}

/** Flattens a dashboard's panels (rows included) to what tests and reviews care about. */
export function panelsOf(d: dashboard.Dashboard): PanelInfo[] {
  const out: PanelInfo[] = [];
  for (const p of (d.panels ?? []) as (dashboard.Panel | dashboard.RowPanel)[]) {
    if (p.type === 'row') {
      out.push({ title: p.title ?? '', type: 'row', exprs: [], thresholdColors: [] });
      continue;
    }
    const panel = p as dashboard.Panel;
    out.push({
      title: panel.title ?? '',
      type: panel.type,
      exprs: (panel.targets ?? []).map((t) => String((t as { expr?: string }).expr ?? '')),
      thresholdColors: (panel.fieldConfig?.defaults?.thresholds?.steps ?? []).map((s) => s.color),
    });
  }
  return out;
}

/** Grafana's interval macros replaced by a concrete window, so the expression is plain PromQL. */
export function concretePromql(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval/g, '5m');
}
