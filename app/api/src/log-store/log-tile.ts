/**
 * The ops board's log tile: error lines per minute per service and the most frequent error
 * messages, from the lab's VictoriaLogs. It lives in the api (with the client and the saved
 * queries) because the api's image runs it; tools/logs (@dhakacart/logs) re-exports it for the
 * CLI and its tests.
 */
import { VictoriaLogsClient } from './client';
import { shortServiceName } from './fields';
import * as Q from './queries';

/** The store to ask, and the Swarm stack (Kubernetes namespace) whose lines count. */
export interface Ctx {
  client: VictoriaLogsClient;
  stack: string;
}

/** The ops board's traffic-light scale, as app/api's ops-status uses it. */
export type TileStatus = 'green' | 'yellow' | 'red' | 'unknown';

/** Error lines per minute (the newest full minute, any service) at which the tile turns colour. */
export const LOG_TILE_THRESHOLDS = { yellow: 1, red: 10 } as const;

export interface ServiceErrors {
  service: string;
  /** Error lines in the newest full minute. */
  lastMinute: number;
  status: TileStatus;
  /** [unix seconds of the minute's start, error lines in that minute], oldest first; 0 filled in. */
  points: [number, number][];
}

export interface LogTile {
  status: TileStatus;
  /** Why, in one line (shown on the tile). */
  detail: string;
  windowMinutes: number;
  /** Services with at least one error line in the window, busiest last minute first. */
  errorsPerMinute: ServiceErrors[];
  topErrors: { service: string; message: string; count: number }[];
}

const colour = (n: number): TileStatus =>
  n >= LOG_TILE_THRESHOLDS.red ? 'red' : n >= LOG_TILE_THRESHOLDS.yellow ? 'yellow' : 'green';

/** The window's length, clamped to what the tile is for: 5 minutes to a day. */
export const tileWindowMinutes = (m: number | undefined) => Math.min(Math.max(m ?? 30, 5), 24 * 60);

/**
 * For the ops board: error lines per minute per service and the top error messages over the
 * window. Never throws: a store that does not answer makes the tile "unknown".
 */
export async function logTile(
  c: Ctx,
  p: { windowMinutes?: number; top?: number; now?: number } = {},
): Promise<LogTile> {
  const minutes = tileWindowMinutes(p.windowMinutes);
  const since = `${minutes}m`;
  try {
    const [perMinute, top] = await Promise.all([
      c.client.query(Q.errorsPerMinute.logsql({ stack: c.stack, since })),
      c.client.query(Q.topErrors.logsql({ stack: c.stack, since, limit: p.top ?? 5 })),
    ]);
    // The newest *full* minute: the current one is still filling up, so it is left out.
    const now = p.now ?? Date.now();
    const lastFull = Math.floor(now / 60_000) * 60 - 60;
    const minutesShown: number[] = [];
    for (let t = lastFull - (minutes - 1) * 60; t <= lastFull; t += 60) minutesShown.push(t);
    const counts = new Map<string, Map<number, number>>();
    for (const r of perMinute) {
      const service = shortServiceName(c.stack, r.service) || '(other)';
      const t = Math.floor(Date.parse(r._time ?? '') / 1000);
      if (!Number.isFinite(t)) continue;
      const m = counts.get(service) ?? new Map<number, number>();
      counts.set(service, m);
      m.set(t, (m.get(t) ?? 0) + Number(r.errors ?? 0));
    }
    const services: ServiceErrors[] = [...counts.entries()]
      .map(([service, m]) => {
        const lastMinute = m.get(lastFull) ?? 0;
        return {
          service,
          lastMinute,
          status: colour(lastMinute),
          points: minutesShown.map((t): [number, number] => [t, m.get(t) ?? 0]),
        };
      })
      .sort((a, b) => b.lastMinute - a.lastMinute || a.service.localeCompare(b.service));
    const worst = services[0]?.lastMinute ?? 0;
    const busiest = services[0] && worst > 0 ? ` (${services[0].service})` : '';
    return {
      status: colour(worst),
      detail: `${worst} error line(s) in the last full minute${busiest}`,
      windowMinutes: minutes,
      errorsPerMinute: services,
      topErrors: top.map((r) => ({
        service: shortServiceName(c.stack, r.service),
        message: r._msg ?? '',
        count: Number(r.n ?? 0),
      })),
    };
  } catch (e) {
    return {
      status: 'unknown',
      detail: oneLine((e as Error).message),
      windowMinutes: minutes,
      errorsPerMinute: [],
      topErrors: [],
    };
  }
}

/** The board's log tile from one store (each call reads it afresh; it never rejects). */
export function logTileReader(baseUrl: string, o: { timeoutMs: number; stack: string }) {
  const client = new VictoriaLogsClient({ baseUrl, timeoutMs: o.timeoutMs });
  return () => logTile({ client, stack: o.stack });
}

/** The tile shows one line: the first of the message, at most 200 characters. */
const oneLine = (s: string) => (s.split('\n')[0] ?? '').slice(0, 200);
