/**
 * A small VictoriaLogs HTTP client. Every call has a deadline (the query is also told to give up
 * server-side a little earlier), and failures come back as one of two errors a caller can tell
 * apart: the store is unreachable, or it refused the query. Queries travel in the POST body, never
 * in the URL, so nothing a query names ends up in an access log. The api reaches its store in
 * plain HTTP on an internal network; the lab's operators' tools reach it through the edge, over
 * TLS with credentials, by giving their own transport (tools/logs, ADR 0208).
 */

export type Row = Record<string, string>;

/** The store did not answer (refused, reset, DNS, or the deadline passed). */
export class LogStoreDownError extends Error {
  readonly code = 'log_store_down';
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`the log store at ${url} is not answering (${detail})`);
  }
}

/** The store answered with an error (a bad query, an overload). */
export class LogStoreQueryError extends Error {
  readonly code = 'log_store_query_failed';
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`the log store refused the query (HTTP ${status}): ${detail}`);
  }
}

/**
 * One HTTP exchange: resolves with the status and the body's text, whatever the status; rejects
 * on a transport failure, preferably with an error whose `code` names it (`ETIMEDOUT` once the
 * deadline, which covers the body, has passed). Any rejection means the store is down for the
 * caller.
 */
export type Transport = (
  url: string,
  o: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
) => Promise<{ status: number; text: string }>;

export interface ClientOptions {
  /** e.g. http://victoria-logs:9428 (the api's), https://127.0.0.1:9429 (the lab's edge) */
  baseUrl: string;
  /** Deadline for each call, in milliseconds. */
  timeoutMs?: number;
  /** How requests are sent (default: fetch, no credentials). */
  transport?: Transport;
}

/** fetch, with the deadline on the whole exchange. */
const fetchTransport: Transport = async (url, o) => {
  const res = await fetch(url, {
    method: o.method,
    headers: o.headers,
    body: o.body,
    signal: AbortSignal.timeout(o.timeoutMs),
  });
  return { status: res.status, text: await res.text() };
};

export interface QueryOptions {
  /** Upper bound on rows returned (the newest first when the query does not sort). */
  limit?: number;
  /** Overrides the client's deadline for this call. */
  timeoutMs?: number;
}

export class VictoriaLogsClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  private readonly transport: Transport;

  constructor(opts: ClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.transport = opts.transport ?? fetchTransport;
  }

  /** Runs a LogsQL query and returns its rows (JSON lines in the response). */
  async query(logsql: string, opts: QueryOptions = {}): Promise<Row[]> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const form: Record<string, string> = { query: logsql, timeout: serverTimeout(timeoutMs) };
    if (opts.limit !== undefined) form.limit = String(opts.limit);
    const text = await this.post('/select/logsql/query', form, timeoutMs);
    const rows: Row[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        rows.push(JSON.parse(line) as Row);
      } catch {
        throw new LogStoreQueryError(200, `unparseable response line: ${line.slice(0, 120)}`);
      }
    }
    return rows;
  }

  /** Sends lines of JSON (one object per log entry) to /insert/jsonline. */
  async insertJsonLines(
    lines: object[],
    params: { streamFields: string[]; timeField?: string; msgField?: string },
    timeoutMs = this.timeoutMs,
  ): Promise<void> {
    const qs = new URLSearchParams({ _stream_fields: params.streamFields.join(',') });
    if (params.timeField) qs.set('_time_field', params.timeField);
    if (params.msgField) qs.set('_msg_field', params.msgField);
    const body = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    await this.request(`/insert/jsonline?${qs}`, body, 'application/stream+json', timeoutMs);
  }

  /** True when /health answers 200 within the deadline. */
  async healthy(timeoutMs = Math.min(this.timeoutMs, 3000)): Promise<boolean> {
    try {
      const r = await this.transport(`${this.baseUrl}/health`, {
        method: 'GET',
        headers: {},
        timeoutMs,
      });
      return r.status === 200;
    } catch {
      return false;
    }
  }

  /** The store's Prometheus metrics, parsed into `name{labels}` -> value. */
  async metrics(timeoutMs = this.timeoutMs): Promise<Map<string, number>> {
    const text = await this.get('/metrics', timeoutMs);
    const out = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const i = line.lastIndexOf(' ');
      out.set(line.slice(0, i), Number(line.slice(i + 1)));
    }
    return out;
  }

  private async get(path: string, timeoutMs: number): Promise<string> {
    return this.send(path, { method: 'GET', headers: {} }, timeoutMs);
  }

  private async post(path: string, form: Record<string, string>, timeoutMs: number) {
    return this.request(
      path,
      new URLSearchParams(form).toString(),
      'application/x-www-form-urlencoded',
      timeoutMs,
    );
  }

  private async request(path: string, body: string, contentType: string, timeoutMs: number) {
    return this.send(
      path,
      { method: 'POST', body, headers: { 'content-type': contentType } },
      timeoutMs,
    );
  }

  private async send(
    path: string,
    init: { method: string; body?: string; headers: Record<string, string> },
    timeoutMs: number,
  ): Promise<string> {
    let res: { status: number; text: string };
    try {
      // The deadline covers the body too: a store that sends headers and then stalls still ends.
      res = await this.transport(`${this.baseUrl}${path}`, { ...init, timeoutMs });
    } catch (e) {
      throw new LogStoreDownError(this.baseUrl, describeTransportError(e, timeoutMs));
    }
    if (res.status < 200 || res.status >= 300)
      throw new LogStoreQueryError(res.status, res.text.trim().slice(0, 500));
    return res.text;
  }
}

/** The server-side limit: a bit under the client's, so the server's own message wins the race. */
function serverTimeout(ms: number): string {
  return `${Math.max(0.5, (ms * 0.9) / 1000).toFixed(1)}s`;
}

/** What went wrong on the way to the store, in a word where there is one. */
function describeTransportError(e: unknown, timeoutMs: number): string {
  const err = e as {
    name?: string;
    code?: unknown;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || err.code === 'ETIMEDOUT')
    return `no answer within ${timeoutMs} ms`;
  // fetch's own failure ("fetch failed") names its reason in `cause`.
  if (err.cause) return err.cause.code ?? err.cause.message ?? err.message ?? String(e);
  if (typeof err.code === 'string') return err.code;
  return err.message ?? String(e);
}
