// The board's log tile (issue 16): error lines per minute per service and the top error
// messages, from the lab's VictoriaLogs through ../log-store/log-tile.ts (which never throws).
// Without a log store (LOGS_URL unset, e.g. on GKE, whose logs are in Loki) it is unknown.
import type { LogTile } from '../log-store/log-tile';
import type { Point, Status } from './ops-colours';

export interface LogsTile {
  status: Status;
  reasons: string[];
  windowMinutes: number | null;
  /** Services with an error line in the window, the busiest (newest full minute) first. */
  services: { service: string; lastMinute: number; status: Status; spark: Point[] }[];
  topErrors: { service: string; message: string; count: number }[];
}

export const NO_LOG_STORE = 'no log store configured (LOGS_URL is unset)';

/** `null`: no log store is configured. */
export function logsTile(t: LogTile | null): LogsTile {
  if (!t)
    return {
      status: 'unknown',
      reasons: [NO_LOG_STORE],
      windowMinutes: null,
      services: [],
      topErrors: [],
    };
  return {
    status: t.status,
    reasons: [t.detail],
    windowMinutes: t.windowMinutes,
    services: t.errorsPerMinute.map((s) => ({
      service: s.service,
      lastMinute: s.lastMinute,
      status: s.status,
      spark: s.points,
    })),
    topErrors: t.topErrors,
  };
}
