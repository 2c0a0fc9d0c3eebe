// Sparkline geometry, kept apart from React so it can be tested with plain numbers.
import type { OpsPoint } from '../../api/types';

export const SPARK_WIDTH = 120;
export const SPARK_HEIGHT = 28;

/**
 * The SVG polyline `points` for a series: time along x over the series' own span, value along
 * y from 0 (or the minimum, if negative) to the maximum, so a steady non-zero series sits at the
 * top and an all-zero one along the bottom.
 */
export function sparkPoints(
  points: OpsPoint[],
  width = SPARK_WIDTH,
  height = SPARK_HEIGHT,
): string {
  const pts = points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
  if (pts.length === 0) return '';
  const t0 = pts[0]![0];
  const t1 = pts[pts.length - 1]![0];
  const lo = Math.min(0, ...pts.map(([, v]) => v));
  const hi = Math.max(...pts.map(([, v]) => v));
  const pad = 1; // keep the stroke inside the box
  const x = (t: number) => ((t - t0) / (t1 - t0)) * width;
  const y = (v: number) =>
    hi === lo ? height - pad : height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad);
  const r = (n: number) => Math.round(n * 10) / 10;
  // A single point is drawn as a short flat line so it is visible.
  if (pts.length === 1) return `0,${r(y(pts[0]![1]))} ${width},${r(y(pts[0]![1]))}`;
  return pts.map(([t, v]) => `${r(x(t))},${r(y(v))}`).join(' ');
}
