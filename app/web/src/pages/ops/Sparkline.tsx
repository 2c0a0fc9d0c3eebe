// An inline SVG sparkline. No chart library, and no inline style (the CSP allows none): the
// colour comes from the tile's class, the shape from the `points` attribute.
import type { OpsPoint } from '../../api/types';
import { SPARK_HEIGHT, SPARK_WIDTH, sparkPoints } from './sparkline';

export function Sparkline({
  points,
  label,
  format,
}: {
  points: OpsPoint[];
  label: string;
  format: (v: number) => string;
}) {
  const line = sparkPoints(points);
  if (!line) return <p className="ops-spark-empty">{label}: no data yet</p>;
  const values = points.map(([, v]) => v);
  const last = values[values.length - 1]!;
  const description = `${label}: now ${format(last)}, highest ${format(Math.max(...values))}, lowest ${format(Math.min(...values))}`;
  return (
    <svg
      className="ops-spark"
      viewBox={`0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={description}
    >
      <title>{description}</title>
      <polyline className="ops-spark-line" points={line} fill="none" />
    </svg>
  );
}
