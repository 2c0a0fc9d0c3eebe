import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { CA_CERT, STORE_URL } from './paths';

/**
 * A small HTTPS client for tests that drive the store through the lab's TLS edge, trusting only
 * the lab CA. Only the lab's own URL (localhost) is ever targeted.
 */
export interface EdgeResponse {
  status: number;
  body: unknown;
  setCookies: string[];
}

const url = new URL(STORE_URL);
if (!['localhost', '127.0.0.1'].includes(url.hostname))
  throw new Error(`refusing to drive traffic to a non-local store: ${STORE_URL}`);

let agent: Agent | null = null;
const labAgent = () =>
  (agent ??= new Agent({ ca: readFileSync(CA_CERT), keepAlive: true, maxSockets: 16 }));

export function edgeRequest(
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<EdgeResponse> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port || 443,
        path,
        method,
        agent: labAgent(),
        timeout: opts.timeoutMs ?? 10_000,
        headers: {
          accept: 'application/json',
          // The API's CSRF defence: state-changing requests come from the store's origin.
          origin: STORE_URL,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // Not JSON (e.g. an HAProxy error page): keep the text.
          }
          const sc = res.headers['set-cookie'];
          resolve({ status: res.statusCode ?? 0, body, setCookies: sc ?? [] });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** One shopper: keeps its own session cookie across requests. */
export class Shopper {
  private cookies = new Map<string, string>();

  constructor(readonly email: string) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await edgeRequest(method, path, {
      body,
      headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
    for (const c of r.setCookies) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      if (eq > 0) this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    return r;
  }
}

export function closeEdgeClient() {
  agent?.destroy();
  agent = null;
}
