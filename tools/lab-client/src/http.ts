import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { assertLocalUrl } from './endpoints';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text. */
  text: string;
  /** The body parsed as JSON, or the text when it is not JSON (an HAProxy error page, say). */
  body: unknown;
  setCookies: string[];
  json<T = unknown>(): T;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent as it is (instead of `body`). */
  rawBody?: string;
  agent?: http.Agent;
  /** Time for the whole exchange, connection to last byte (default 10 s). */
  timeoutMs?: number;
}

/** The exchange did not finish within its time-out (the socket was destroyed). */
export class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(
    readonly timeoutMs: number,
    what: string,
  ) {
    super(`timeout after ${timeoutMs} ms: ${what}`);
  }
}

/** A keep-alive agent trusting only the given CA (the lab's, by default): names are verified. */
export function tlsAgent(caFile: string, maxSockets = 32): https.Agent {
  return new https.Agent({ ca: readFileSync(caFile), keepAlive: true, maxSockets });
}

/**
 * One HTTP(S) exchange with a server on this machine. Resolves with any status; rejects on a
 * transport error or when the time-out passes (the socket is destroyed, nothing is left open).
 */
export function httpRequest(url: string | URL, o: RequestOptions = {}): Promise<Reply> {
  const u = assertLocalUrl(url);
  const mod = u.protocol === 'https:' ? https : http;
  const payload = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  const timeoutMs = o.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: o.method ?? 'GET',
        agent: o.agent,
        headers: {
          ...(payload && o.rawBody === undefined ? { 'content-type': 'application/json' } : {}),
          ...o.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            body,
            setCookies: res.headers['set-cookie'] ?? [],
            json: <T>() => JSON.parse(text) as T,
          });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      },
    );
    const timer = setTimeout(
      () => req.destroy(new RequestTimeoutError(timeoutMs, `${o.method ?? 'GET'} ${u.pathname}`)),
      timeoutMs,
    );
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(payload);
  });
}
