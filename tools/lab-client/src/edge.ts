import { randomUUID } from 'node:crypto';
import type https from 'node:https';
import { CA_CERT, STORE_URL, assertLocalUrl } from './endpoints';
import { httpRequest, tlsAgent, type Reply } from './http';

/**
 * The one client for the lab's TLS edge: it trusts only the lab CA, keeps connections alive,
 * sends the store's Origin (the API's CSRF defence), bounds every request in time, keeps each
 * shopper's cookies, and retries an order with the same Idempotency-Key until it is answered.
 * Every test and tool that talks to the store goes through it.
 */
export interface EdgeOptions {
  baseUrl?: string;
  caFile?: string;
  maxSockets?: number;
  /** Per-request time-out unless a call says otherwise (default 10 s). */
  timeoutMs?: number;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class EdgeClient {
  readonly baseUrl: string;
  private readonly caFile: string;
  private readonly maxSockets: number;
  private readonly timeoutMs: number;
  private agentInstance: https.Agent | null = null;

  constructor(o: EdgeOptions = {}) {
    this.baseUrl = assertLocalUrl(o.baseUrl ?? STORE_URL).origin;
    this.caFile = o.caFile ?? CA_CERT;
    this.maxSockets = o.maxSockets ?? 32;
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  private get agent(): https.Agent | undefined {
    // Plain HTTP only for a local test server; the lab's edge is always TLS.
    if (!this.baseUrl.startsWith('https:')) return undefined;
    return (this.agentInstance ??= tlsAgent(this.caFile, this.maxSockets));
  }

  /** One request through the edge; any status resolves, a transport error or time-out rejects. */
  request(method: string, path: string, o: CallOptions = {}): Promise<Reply> {
    return httpRequest(new URL(path, this.baseUrl), {
      method,
      agent: this.agent,
      body: o.body,
      timeoutMs: o.timeoutMs ?? this.timeoutMs,
      headers: { accept: 'application/json', origin: this.baseUrl, ...o.headers },
    });
  }

  /** A shopper of its own: a cookie jar over this client's connections. */
  session(label = 'anonymous'): Session {
    return new Session(this, label);
  }

  close(): void {
    this.agentInstance?.destroy();
    this.agentInstance = null;
  }
}

/** One attempt of an order, for the caller's timeline and failure tally. */
export interface OrderAttempt {
  start: number;
  end: number;
  status: number;
  /** `<status> <error code>` or the transport error. */
  failure?: string;
}

export interface OrderOutcome {
  key: string;
  /** The final answer's status (201 placed, 402 payment failed, ...); 0 when never answered. */
  status: number;
  orderId?: string;
  body?: unknown;
  attempts: OrderAttempt[];
}

/** Statuses after which the same key is tried again: the answer was not the order's outcome. */
const RETRYABLE = new Set([0, 409, 425, 429, 500, 502, 503, 504]);

export const errorCode = (body: unknown): string =>
  (body as { error?: { code?: string } } | null | undefined)?.error?.code ?? '';

export class Session {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly client: EdgeClient,
    readonly label: string,
  ) {}

  /** A request carrying this session's cookies; cookies it is given are kept. */
  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    timeoutMs?: number,
  ): Promise<Reply> {
    const cookie = this.cookieHeader();
    const r = await this.client.request(method, path, {
      body,
      timeoutMs,
      headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
    for (const c of r.setCookies) {
      const pair = c.split(';')[0]!;
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return r;
  }

  /** The Cookie header this session sends (for tools that send requests themselves). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /**
   * Places an order as the storefront does: one Idempotency-Key for the checkout, retried after
   * a transport error, a time-out, a 409 "still processing" or a 5xx, until an outcome arrives
   * or the budget is spent. An ambiguous failure never becomes a second order.
   */
  async placeOrder(
    payload: unknown,
    o: { key?: string; budgetMs?: number; timeoutMs?: number; pauseMs?: number } = {},
  ): Promise<OrderOutcome> {
    const key = o.key ?? randomUUID();
    const deadline = Date.now() + (o.budgetMs ?? 60_000);
    const attempts: OrderAttempt[] = [];
    for (;;) {
      const start = Date.now();
      let status = 0;
      let body: unknown;
      let failure: string | undefined;
      try {
        const r = await this.call(
          'POST',
          '/api/orders',
          payload,
          { 'idempotency-key': key },
          o.timeoutMs,
        );
        status = r.status;
        body = r.body;
        if (status !== 201) failure = `${status} ${errorCode(body)}`.trim();
      } catch (e) {
        failure = (e as Error).message;
      }
      attempts.push({ start, end: Date.now(), status, failure });
      // A 409 is retried only when it says the order is still being processed (not sold out).
      const again =
        RETRYABLE.has(status) && (status !== 409 || errorCode(body) === 'checkout_in_progress');
      if (!again || Date.now() >= deadline) {
        const orderId =
          status === 201 ? (body as { order?: { id?: string } }).order?.id : undefined;
        return { key, status: again ? 0 : status, orderId, body, attempts };
      }
      await new Promise((r) => setTimeout(r, o.pauseMs ?? 250));
    }
  }
}

let shared: EdgeClient | null = null;

/** The process's shared client for the lab's own edge. */
export function edge(): EdgeClient {
  return (shared ??= new EdgeClient());
}

export function closeEdge(): void {
  shared?.close();
  shared = null;
}
