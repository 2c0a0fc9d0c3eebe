import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One JSON request with an optional CA file (node's fetch cannot take one), bounded in time. */
export function requestJson(
  url: string,
  opts: { method: string; body?: unknown; headers?: Record<string, string>; caFile?: string },
  timeoutMs = 15_000,
): Promise<HttpReply> {
  const u = new URL(url);
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method: opts.method,
        headers,
        timeout: timeoutMs,
        ...(u.protocol === 'https:' && opts.caFile ? { ca: readFileSync(opts.caFile) } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${opts.method} ${url}: no answer in ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The `sid` session cookie a reply sets, as a Cookie header value. */
export function sessionCookie(reply: HttpReply): string | null {
  for (const c of reply.headers['set-cookie'] ?? []) {
    const m = /^sid=([^;]+)/.exec(c);
    if (m) return `sid=${m[1]}`;
  }
  return null;
}
