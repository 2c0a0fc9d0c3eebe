/**
 * Every saved log query in one place: the shop's questions, each as LogsQL for the lab's
 * VictoriaLogs and as LogQL for GKE's Loki (queries.test.ts parses every LogQL with
 * @grafana/lezer-logql and runs every LogsQL against a real store). Values are validated before
 * they get here (params.ts) and quoted on the way in, so no input can change a query's shape.
 */
import { F, swarmServiceName } from './fields';

export interface Scope {
  /** The Swarm stack (lab) and Kubernetes namespace (GKE): `dhakacart`. */
  stack: string;
}

export interface SavedQuery<P> {
  name: string;
  description: string;
  logsql(p: P & Scope): string;
  logql(p: P & Scope): string;
}

/** LogsQL and LogQL both take a double-quoted string with JSON-style escapes. */
export const q = (s: string) => JSON.stringify(s);

/** LogsQL: the scope filter and the short field names every listing uses. */
const inStack = (s: Scope) => `${F.stack}:=${q(s.stack)}`;
const serviceFilter = (s: Scope, service?: string) =>
  service ? ` ${F.service}:=${q(swarmServiceName(s.stack, service))}` : '';
const SHORTEN = `rename ${F.service} as service, ${F.task} as task, ${F.node} as node, ${F.level} as level, ${F.status} as status, ${F.route} as route, ${F.method} as method, ${F.reqId} as reqId, ${F.customerId} as customerId, ${F.stream} as stream, ${F.durationMs} as durationMs`;
const LISTING = `fields _time, service, task, node, stream, level, status, method, route, durationMs, reqId, customerId, _msg`;

/**
 * What counts as an error line: pino level 50 (error) or 60 (fatal); a request that ended 5xx
 * (api or edge); or, for a line that is not pino JSON (PostgreSQL, Redis, HAProxy's own notices),
 * the words error, fatal or panic in any case.
 */
export const ERROR_FILTER = `(${F.level}:>=50 or ${F.status}:>=500 or (${F.level}:"" and ${F.status}:"" and (i(error) or i(fatal) or i(panic))))`;
/** A request line (the api's access line or the edge's): it carries an HTTP status. */
export const REQUEST_FILTER = `${F.status}:*`;

/**
 * LogQL for GKE: the log agent labels each pod's lines with its `namespace` and `container` (the
 * Kubernetes objects name the api's container `api`); the lines are the same pino JSON.
 */
const lokiSelector = (s: Scope, service?: string) =>
  `{namespace=${q(s.stack)}${service ? `, container=${q(service)}` : ''}}`;
const LOKI_ERROR_LINE = `(?i)("level":(50|60)[,}]|"status":5[0-9][0-9][,}]|\\b(error|fatal|panic)\\b)`;

export interface WindowParams {
  /** A LogsQL/LogQL duration, e.g. 1h (validated by parseSince). */
  since: string;
}

export const errors: SavedQuery<WindowParams & { service?: string; limit?: number }> = {
  name: 'errors',
  description: 'error lines of every service (or one), newest first',
  logsql: (p) =>
    `_time:${p.since} ${inStack(p)}${serviceFilter(p, p.service)} ${ERROR_FILTER} | ${SHORTEN} | ${LISTING} | sort by (_time desc) | limit ${p.limit ?? 200}`,
  logql: (p) => `${lokiSelector(p, p.service)} |~ ${q(LOKI_ERROR_LINE)} | json`,
};

export const customer: SavedQuery<WindowParams & { userId: string; limit?: number }> = {
  name: 'customer',
  description: "one customer's requests, oldest first",
  logsql: (p) =>
    `_time:${p.since} ${inStack(p)} ${F.customerId}:=${q(p.userId)} | ${SHORTEN} | ${LISTING} | sort by (_time) | limit ${p.limit ?? 500}`,
  logql: (p) => `${lokiSelector(p, 'api')} |= ${q(p.userId)} | json | customerId = ${q(p.userId)}`,
};

export const request: SavedQuery<WindowParams & { reqId: string }> = {
  name: 'request',
  description: 'one request across the edge and the api, in order',
  logsql: (p) =>
    `_time:${p.since} ${inStack(p)} ${F.reqId}:=${q(p.reqId)} | ${SHORTEN} | ${LISTING} | sort by (_time) | limit 200`,
  logql: (p) => `${lokiSelector(p)} |= ${q(p.reqId)} | json | reqId = ${q(p.reqId)}`,
};

export const trend: SavedQuery<WindowParams & { step: string }> = {
  name: 'trend',
  description: 'requests and errors per service per step',
  logsql: (p) =>
    `_time:${p.since} ${inStack(p)} | stats by (_time:${p.step}, ${F.service}) count() if (${REQUEST_FILTER}) requests, count() if (${ERROR_FILTER}) errors | rename ${F.service} as service | sort by (_time)`,
  logql: (p) =>
    `sum by (container) (count_over_time(${lokiSelector(p)} |~ ${q(LOKI_ERROR_LINE)} [${p.step}]))`,
};

/** Requests per service per step (LogQL needs a second query for it; LogsQL does both at once). */
export const trendRequestsLogql = (p: Scope & { step: string }) =>
  `sum by (container) (count_over_time(${lokiSelector(p)} |~ ${q('"status":[0-9]{3}')} [${p.step}]))`;

export const errorsPerMinute: SavedQuery<WindowParams> = {
  name: 'errors-per-minute',
  description: 'error lines per minute per service (the ops board tile)',
  logsql: (p) =>
    `_time:${p.since} ${inStack(p)} ${ERROR_FILTER} | stats by (_time:1m, ${F.service}) count() errors | rename ${F.service} as service | sort by (_time)`,
  logql: (p) =>
    `sum by (container) (count_over_time(${lokiSelector(p)} |~ ${q(LOKI_ERROR_LINE)} [1m]))`,
};

export const topErrors: SavedQuery<WindowParams & { limit?: number }> = {
  name: 'top-errors',
  description: 'the most frequent error messages per service',
  logsql: (p) =>
    `_time:${p.since} ${inStack(p)} ${ERROR_FILTER} | stats by (${F.service}, _msg) count() n | rename ${F.service} as service | sort by (n desc) | limit ${p.limit ?? 5}`,
  logql: (p) =>
    `topk(${p.limit ?? 5}, sum by (container, msg) (count_over_time(${lokiSelector(p)} |~ ${q(LOKI_ERROR_LINE)} | json msg="msg" [${p.since}])))`,
};

export const SAVED_QUERIES = [errors, customer, request, trend, errorsPerMinute, topErrors];
