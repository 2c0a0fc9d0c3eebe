/**
 * The shop's questions, answered from the log store, for the CLI (cli.ts). The ops board's log
 * tile (`logTile`) is the api's and is re-exported here.
 */
import type { Ctx } from '@dhakacart/api/src/log-store/log-tile';
import type { Row } from './client';
import type { CustomerDirectory } from './directory';
import { shortServiceName } from './fields';
import type { CustomerRef, Since } from './params';
import * as Q from './queries';

export interface LogLine {
  time: string;
  service: string;
  task: string;
  node: string;
  stream: string;
  level: string;
  status: string;
  method: string;
  route: string;
  durationMs: string;
  reqId: string;
  customerId: string;
  msg: string;
}

/** No account has this email (distinct from "no log lines"). */
export class UnknownCustomerError extends Error {
  readonly code = 'unknown_customer';
}

const PINO_LEVELS: Record<string, string> = {
  '10': 'trace',
  '20': 'debug',
  '30': 'info',
  '40': 'warn',
  '50': 'error',
  '60': 'fatal',
};

export function toLogLine(stack: string, r: Row): LogLine {
  return {
    time: r._time ?? '',
    service: shortServiceName(stack, r.service),
    task: r.task ?? '',
    node: r.node ?? '',
    stream: r.stream ?? '',
    level: r.level ? (PINO_LEVELS[r.level] ?? r.level) : '',
    status: r.status ?? '',
    method: r.method ?? '',
    route: r.route ?? '',
    durationMs: r.durationMs ?? '',
    reqId: r.reqId ?? '',
    customerId: r.customerId ?? '',
    msg: r._msg ?? '',
  };
}

export type { Ctx };

export async function findErrors(
  c: Ctx,
  p: { since: Since; service?: string; limit?: number },
): Promise<LogLine[]> {
  const rows = await c.client.query(
    Q.errors.logsql({ stack: c.stack, since: p.since.text, service: p.service, limit: p.limit }),
  );
  return rows.map((r) => toLogLine(c.stack, r));
}

export async function resolveCustomer(
  ref: CustomerRef,
  directory: () => CustomerDirectory,
): Promise<string> {
  if (ref.kind === 'id') return ref.userId;
  const dir = directory();
  try {
    const id = await dir.userIdForEmail(ref.email);
    // The message never repeats the email: this output may be pasted into a ticket.
    if (!id) throw new UnknownCustomerError('no customer account has that email address');
    return id;
  } finally {
    await dir.close();
  }
}

export async function findCustomer(
  c: Ctx,
  p: { userId: string; since: Since; limit?: number },
): Promise<LogLine[]> {
  const rows = await c.client.query(
    Q.customer.logsql({ stack: c.stack, since: p.since.text, userId: p.userId, limit: p.limit }),
  );
  return rows.map((r) => toLogLine(c.stack, r));
}

export async function findRequest(c: Ctx, p: { reqId: string; since: Since }): Promise<LogLine[]> {
  const rows = await c.client.query(
    Q.request.logsql({ stack: c.stack, since: p.since.text, reqId: p.reqId }),
  );
  return rows.map((r) => toLogLine(c.stack, r));
}

export interface TrendPoint {
  /** Bucket start, ISO time. */
  time: string;
  requests: number;
  errors: number;
}

export interface Trend {
  since: string;
  step: string;
  stepSeconds: number;
  /** Bucket starts, oldest first, the same for every service (a missing bucket is zero). */
  buckets: string[];
  services: { service: string; points: TrendPoint[] }[];
}

/** Requests and errors per service per step over the window, gaps filled with zeros. */
export async function trendOf(
  c: Ctx,
  p: { since: Since; step: Since; now?: number },
): Promise<Trend> {
  const rows = await c.client.query(
    Q.trend.logsql({ stack: c.stack, since: p.since.text, step: p.step.text }),
  );
  const now = p.now ?? Date.now();
  const first = Math.floor((now - p.since.ms) / p.step.ms) * p.step.ms;
  const buckets: number[] = [];
  for (let t = first; t <= now; t += p.step.ms) buckets.push(t);
  const byService = new Map<string, Map<number, { requests: number; errors: number }>>();
  for (const r of rows) {
    const service = shortServiceName(c.stack, r.service) || '(other)';
    const t = Date.parse(r._time ?? '');
    if (!Number.isFinite(t)) continue;
    const m = byService.get(service) ?? new Map();
    byService.set(service, m);
    const have = m.get(t) ?? { requests: 0, errors: 0 };
    m.set(t, {
      requests: have.requests + Number(r.requests ?? 0),
      errors: have.errors + Number(r.errors ?? 0),
    });
  }
  return {
    since: p.since.text,
    step: p.step.text,
    stepSeconds: p.step.ms / 1000,
    buckets: buckets.map((t) => new Date(t).toISOString()),
    services: [...byService.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([service, m]) => ({
        service,
        points: buckets.map((t) => ({
          time: new Date(t).toISOString(),
          ...(m.get(t) ?? { requests: 0, errors: 0 }),
        })),
      })),
  };
}

// The ops board's tile lives in the api, which runs it (app/api/src/log-store/log-tile.ts).
export {
  logTile,
  LOG_TILE_THRESHOLDS,
  type LogTile,
  type ServiceErrors,
  type TileStatus,
} from '@dhakacart/api/src/log-store/log-tile';
