import { readFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { CA_CERT } from './paths';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = unknown>(): T;
}

/** HTTPS to the lab's edge, trusting the lab CA (and nothing is skipped: the name is verified). */
export function labAgent(maxSockets = 32): https.Agent {
  return new https.Agent({ ca: readFileSync(CA_CERT), keepAlive: true, maxSockets });
}

export function request(
  url: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    agent?: https.Agent | http.Agent;
    timeoutMs?: number;
  } = {},
): Promise<Reply> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: opts.method ?? 'GET',
        agent: opts.agent,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: () => JSON.parse(text),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
