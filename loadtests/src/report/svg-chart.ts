/**
 * A line chart as inline SVG, for reports people open in a browser with no network: no script,
 * no external file. Series share the x axis (seconds); vertical markers label events (a fault).
 */
export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

export interface Marker {
  x: number;
  label: string;
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function lineChart(o: {
  title: string;
  unit: string;
  series: Series[];
  markers?: Marker[];
  width?: number;
  height?: number;
  /** A horizontal line (an objective), drawn dashed. */
  limit?: { y: number; label: string };
}): string {
  const W = o.width ?? 760;
  const H = o.height ?? 220;
  const pad = { l: 56, r: 12, t: 28, b: 30 };
  const xs = o.series.flatMap((s) => s.points.map((p) => p.x));
  const ys = o.series.flatMap((s) => s.points.map((p) => p.y));
  const xMax = Math.max(1, ...xs, ...(o.markers ?? []).map((m) => m.x));
  const yMax = niceMax(Math.max(0, ...ys, o.limit?.y ?? 0) * 1.05);
  const X = (x: number) => pad.l + (x / xMax) * (W - pad.l - pad.r);
  const Y = (y: number) => H - pad.b - (y / yMax) * (H - pad.t - pad.b);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const y = Y(f * yMax);
      return `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${pad.l - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#6b7280">${+(f * yMax).toFixed(2)}</text>`;
    })
    .join('');
  const xTicks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<text x="${X(f * xMax)}" y="${H - 10}" text-anchor="middle" font-size="11" fill="#6b7280">${Math.round(f * xMax)} s</text>`,
    )
    .join('');
  const lines = o.series
    .filter((s) => s.points.length)
    .map(
      (s) =>
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.points
          .map((p) => `${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`)
          .join(' ')}"><title>${escapeXml(s.name)}</title></polyline>`,
    )
    .join('');
  const markers = (o.markers ?? [])
    .map(
      (m) =>
        `<line x1="${X(m.x)}" x2="${X(m.x)}" y1="${pad.t}" y2="${H - pad.b}" stroke="#dc2626" stroke-dasharray="4 3"/><text x="${X(m.x) + 3}" y="${pad.t + 10}" font-size="10" fill="#dc2626">${escapeXml(m.label)}</text>`,
    )
    .join('');
  const limit = o.limit
    ? `<line x1="${pad.l}" x2="${W - pad.r}" y1="${Y(o.limit.y)}" y2="${Y(o.limit.y)}" stroke="#f59e0b" stroke-dasharray="6 4"/><text x="${W - pad.r}" y="${Y(o.limit.y) - 4}" text-anchor="end" font-size="10" fill="#b45309">${escapeXml(o.limit.label)}</text>`
    : '';
  const legend = o.series
    .map(
      (s, i) =>
        `<rect x="${pad.l + i * 150}" y="8" width="10" height="10" fill="${s.color}"/><text x="${pad.l + 14 + i * 150}" y="17" font-size="11">${escapeXml(s.name)}</text>`,
    )
    .join('');
  return `<figure><figcaption>${escapeXml(o.title)} (${escapeXml(o.unit)})</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(o.title)}">${grid}${xTicks}${limit}${lines}${markers}${legend}</svg></figure>`;
}

/** A complete HTML page around report sections; styles inline, nothing loaded from elsewhere. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:820px;color:#111827}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}.pass{color:#047857;font-weight:600}.fail{color:#b91c1c;font-weight:600}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}code{background:#f3f4f6;padding:1px 4px}
</style></head><body>
${body}
</body></html>
`;
}

export { escapeXml };
