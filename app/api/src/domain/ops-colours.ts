// The ops board's traffic lights, shared by every tile: the four states, the bands that pick one
// from a figure, and "the worst of these".
export type Status = 'green' | 'yellow' | 'red' | 'unknown';

/** Higher is worse: yellow at or above `yellow`, red at or above `red`. */
export interface Band {
  yellow: number;
  red: number;
}

export interface Metric {
  value: number | null;
  status: Status;
}

export type Point = [number, number];

const RANK: Record<Status, number> = { unknown: 0, green: 1, yellow: 2, red: 3 };
/** The worst of the given statuses; `unknown` only when nothing is known. */
export function worst(...s: Status[]): Status {
  return s.reduce<Status>((a, b) => (RANK[b] > RANK[a] ? b : a), 'unknown');
}

export const finite = (n: number | undefined): number | null =>
  n !== undefined && Number.isFinite(n) ? n : null;
export const pct = (n: number, digits = 1): string => `${(n * 100).toFixed(digits)}%`;

export function higherIsWorse(value: number | null, band: Band): Status {
  if (value === null) return 'unknown';
  return value >= band.red ? 'red' : value >= band.yellow ? 'yellow' : 'green';
}

export function lowerIsWorse(value: number | null, band: { red: number; yellow: number }): Status {
  if (value === null) return 'unknown';
  return value < band.red ? 'red' : value < band.yellow ? 'yellow' : 'green';
}
