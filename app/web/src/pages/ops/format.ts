// How the ops board writes its figures. null (no data) is always an en dash.
import type { OpsColour } from '../../api/types';

const NONE = '–';

export function percent(ratio: number | null, digits = 1): string {
  return ratio === null ? NONE : `${(ratio * 100).toFixed(digits)}%`;
}

/** Objectives and SLIs near 100% need the third decimal (99.9% vs 99.95%). */
export function objectivePercent(ratio: number | null): string {
  if (ratio === null) return NONE;
  return `${Number((ratio * 100).toFixed(3))}%`;
}

export function burn(x: number | null): string {
  return x === null ? NONE : `${x < 10 ? x.toFixed(2) : x.toFixed(0)}×`;
}

export function duration(seconds: number | null): string {
  if (seconds === null) return NONE;
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

export function bytes(n: number | null): string {
  if (n === null) return NONE;
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(n / 1024 ** 2)} MiB`;
}

export function cores(n: number | null): string {
  return n === null ? NONE : `${n.toFixed(2)} cores`;
}

export function count(n: number | null): string {
  return n === null ? NONE : Math.round(n).toLocaleString('en-GB');
}

export function perSecond(n: number | null): string {
  return n === null ? NONE : `${n.toFixed(1)}/s`;
}

/** A moment the board names (a run's end): day and time, in the viewer's zone. */
export function when(iso: string | null): string {
  if (iso === null) return NONE;
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? NONE
    : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** "checkout-availability" -> "Checkout availability". */
export function sloTitle(slo: string): string {
  const words = slo.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Words beside every colour, so the board never relies on colour alone. */
export const STATUS_LABEL: Record<OpsColour, string> = {
  green: 'OK',
  yellow: 'Warning',
  red: 'Critical',
  unknown: 'No data',
};
