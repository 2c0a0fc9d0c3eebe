// The one way the storefront talks to the API: same-origin fetch under /api with a timeout on
// every call, errors turned into ApiError with a machine-readable kind, and every outcome
// reported to the API status store (so the "API is down" banner is driven by real traffic).
import type { ApiStatusStore } from './apiStatus';

export type ApiErrorKind = 'timeout' | 'network' | 'unavailable' | 'http';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * false: the outcome says nothing about the store (e.g. the ops board's 503 when Prometheus is
   * down), so it must not raise or clear the "store is down" banner.
   */
  reportStatus?: boolean;
}

export interface ApiClientOptions {
  fetch?: typeof fetch;
  status?: ApiStatusStore;
  baseUrl?: string;
  defaultTimeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10000;

/** Words a shopper can act on, for each kind of failure. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.kind) {
      case 'timeout':
        return 'The store took too long to answer. Check your connection and try again.';
      case 'network':
        return 'We could not reach the store. Check your connection and try again.';
      case 'unavailable':
        return 'The store is temporarily unavailable. Please try again in a moment.';
      case 'http':
        return e.message || `The request failed (${e.status}).`;
    }
  }
  return 'Something went wrong. Please try again.';
}

export type ApiClient = <T>(path: string, opts?: RequestOptions) => Promise<T>;

export function createApiClient(o: ApiClientOptions = {}): ApiClient {
  const doFetch = o.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const base = o.baseUrl ?? '';
  const defaultTimeout = o.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;

  return async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const status = opts.reportStatus === false ? undefined : o.status;
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, opts.timeoutMs ?? defaultTimeout);
    const onOuterAbort = () => ctrl.abort();
    opts.signal?.addEventListener('abort', onOuterAbort);

    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';

    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method: opts.method ?? 'GET',
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        credentials: 'same-origin',
        signal: ctrl.signal,
      });
    } catch (e) {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onOuterAbort);
      if (opts.signal?.aborted && !timedOut) throw e; // the caller gave up; not an API failure
      status?.reportDown();
      if (timedOut) throw new ApiError('timeout', 0, 'timeout', 'request timed out');
      throw new ApiError('network', 0, 'network', 'network error');
    }

    try {
      const text = await res.text();
      let body: unknown = undefined;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
      }
      // 502/503/504 come from a proxy or a degraded API: the store is down for the shopper.
      if (res.status === 502 || res.status === 503 || res.status === 504) {
        status?.reportDown();
        const err = errorBody(body);
        throw new ApiError(
          'unavailable',
          res.status,
          err?.code ?? 'unavailable',
          err?.message ?? 'service unavailable',
        );
      }
      status?.reportUp();
      if (!res.ok) {
        const err = errorBody(body);
        throw new ApiError(
          'http',
          res.status,
          err?.code ?? `http_${res.status}`,
          err?.message ?? res.statusText,
          err?.details ?? body,
        );
      }
      return body as T;
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (timedOut) {
        status?.reportDown();
        throw new ApiError('timeout', 0, 'timeout', 'request timed out');
      }
      throw new ApiError('network', 0, 'network', 'network error');
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onOuterAbort);
    }
  };
}

function errorBody(
  body: unknown,
): { code: string; message: string; details?: unknown } | undefined {
  if (body && typeof body === 'object' && 'error' in body) {
    const e = (body as { error: unknown }).error;
    if (e && typeof e === 'object') {
      const { code, message, details, ...rest } = e as Record<string, unknown>;
      return {
        code: typeof code === 'string' ? code : 'error',
        message: typeof message === 'string' ? message : '',
        // The API nests extra facts under `details` (e.g. the out-of-stock items).
        details: details ?? (Object.keys(rest).length ? rest : undefined),
      };
    }
  }
  return undefined;
}
