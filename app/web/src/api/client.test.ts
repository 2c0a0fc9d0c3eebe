/** @jest-environment node */
// The client only needs fetch semantics; Node's Response stands in for the browser's.
import { createApiStatus } from './apiStatus';
import { ApiError, createApiClient, describeError } from './client';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('API client', () => {
  it('returns the JSON body and marks the API up', async () => {
    const status = createApiStatus({ probe: async () => true });
    status.reportDown();
    const api = createApiClient({ fetch: async () => json(200, { ok: 1 }), status });
    await expect(api('/api/x')).resolves.toEqual({ ok: 1 });
    expect(status.get()).toBe('up');
    status.stop();
  });

  it('turns {"error":{code,message,details}} into an ApiError with the status, code and details', async () => {
    const api = createApiClient({
      fetch: async () =>
        json(409, {
          error: {
            code: 'out_of_stock',
            message: 'Out of stock',
            details: { items: [{ productId: 1, name: 'Rice' }] },
          },
        }),
    });
    const err = await api('/api/orders', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      kind: 'http',
      status: 409,
      code: 'out_of_stock',
      message: 'Out of stock',
      details: { items: [{ productId: 1, name: 'Rice' }] },
    });
  });

  it('times out a request that never answers and reports the API down', async () => {
    const status = createApiStatus({ probe: async () => false, minDelayMs: 60000 });
    const hang: typeof fetch = (_u, init) =>
      new Promise((_res, rej) =>
        init?.signal?.addEventListener('abort', () =>
          rej(new DOMException('aborted', 'AbortError')),
        ),
      );
    const api = createApiClient({ fetch: hang, status, defaultTimeoutMs: 20 });
    const err = await api('/api/products').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout' });
    expect(describeError(err)).toMatch(/took too long/);
    expect(status.get()).toBe('down');
    status.stop();
  });

  it('treats 502/503/504 and connection failures as the API being unavailable', async () => {
    const status = createApiStatus({ probe: async () => false, minDelayMs: 60000 });
    const api503 = createApiClient({
      fetch: async () => json(503, { error: { code: 'unavailable', message: 'db down' } }),
      status,
    });
    await expect(api503('/api/x')).rejects.toMatchObject({ kind: 'unavailable', status: 503 });
    expect(status.get()).toBe('down');
    status.reportUp();
    const refused = createApiClient({
      fetch: async () => Promise.reject(new TypeError('Failed to fetch')),
      status,
    });
    await expect(refused('/api/x')).rejects.toMatchObject({ kind: 'network' });
    expect(status.get()).toBe('down');
    status.stop();
  });

  it('leaves the store status alone for a call made with reportStatus: false', async () => {
    const status = createApiStatus({ probe: async () => false, minDelayMs: 60000 });
    const api = createApiClient({
      fetch: async () =>
        json(503, { error: { code: 'prometheus_unreachable', message: 'no Prometheus' } }),
      status,
    });
    await expect(api('/api/ops/status', { reportStatus: false })).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'prometheus_unreachable',
      message: 'no Prometheus',
    });
    expect(status.get()).toBe('up');
    await expect(api('/api/ops/status')).rejects.toMatchObject({ status: 503 });
    expect(status.get()).toBe('down');
    status.stop();
  });

  it('sends JSON with the right headers, including an Idempotency-Key when given', async () => {
    const f = jest.fn(async (_u: RequestInfo | URL, _i?: RequestInit) => json(201, {}));
    const api = createApiClient({ fetch: f as unknown as typeof fetch });
    await api('/api/orders', {
      method: 'POST',
      body: { a: 1 },
      headers: { 'Idempotency-Key': 'k1' },
    });
    const init = f.mock.calls[0]![1]!;
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"a":1}');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Idempotency-Key': 'k1',
    });
  });
});

describe('API status store', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('probes with backoff while down and flips back up by itself', async () => {
    let apiBack = false;
    const probe = jest.fn(async () => apiBack);
    const status = createApiStatus({ probe, minDelayMs: 1000, maxDelayMs: 4000 });
    const seen: string[] = [];
    status.subscribe(() => seen.push(status.get()));
    status.reportDown();
    await jest.advanceTimersByTimeAsync(1000);
    expect(probe).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(2000); // backoff doubled
    expect(probe).toHaveBeenCalledTimes(2);
    apiBack = true;
    await jest.advanceTimersByTimeAsync(4000);
    expect(probe).toHaveBeenCalledTimes(3);
    expect(status.get()).toBe('up');
    expect(seen).toEqual(['down', 'up']);
    await jest.advanceTimersByTimeAsync(20000);
    expect(probe).toHaveBeenCalledTimes(3); // no polling while up
  });
});
