/**
 * A tiny HTTP client for tests: keeps the session cookie like a browser would and always sends
 * the store's Origin (the CSRF rule), unless told otherwise.
 */
export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class Client {
  cookie: string | undefined;
  constructor(
    public baseUrl: string,
    public origin: string,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    opts: {
      json?: unknown;
      raw?: string;
      headers?: Record<string, string>;
      origin?: string | null;
    } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.origin !== null) headers.origin = opts.origin ?? this.origin;
    if (this.cookie) headers.cookie = this.cookie;
    let body: string | undefined = opts.raw;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    const m = setCookie?.match(/sid=([^;]*)/);
    if (m) this.cookie = m[1] ? `sid=${m[1]}` : undefined;
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, opts?: Parameters<Client['request']>[2]) {
    return this.request<T>('GET', path, opts);
  }
  post<T = any>(path: string, json?: unknown, opts: Parameters<Client['request']>[2] = {}) {
    return this.request<T>('POST', path, { ...opts, json });
  }
  put<T = any>(path: string, json?: unknown, opts: Parameters<Client['request']>[2] = {}) {
    return this.request<T>('PUT', path, { ...opts, json });
  }
  patch<T = any>(path: string, json?: unknown, opts: Parameters<Client['request']>[2] = {}) {
    return this.request<T>('PATCH', path, { ...opts, json });
  }
}
