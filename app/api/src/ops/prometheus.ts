// A minimal Prometheus HTTP API client for the ops board: instant queries, range queries and the
// alerts list, each bounded by a timeout. It only ever sends the queries in ./queries.ts.

export interface Sample {
  labels: Record<string, string>;
  /** NaN when Prometheus answered NaN (e.g. a ratio over zero traffic). */
  value: number;
}

export interface Series {
  labels: Record<string, string>;
  points: [number, number][];
}

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'firing' | 'pending' | 'inactive';
  activeAt?: string;
}

/** Prometheus could not be asked, or did not answer as its API promises. */
export class PrometheusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusError';
  }
}

export interface PrometheusClient {
  query(expr: string, atSeconds: number): Promise<Sample[]>;
  queryRange(
    expr: string,
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
  ): Promise<Series[]>;
  alerts(): Promise<PromAlert[]>;
}

interface ApiBody<T> {
  status?: string;
  error?: string;
  data?: T;
}

export function prometheusClient(baseUrl: string, timeoutMs: number): PrometheusClient {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;

  async function get<T>(path: string, params: Record<string, string>, what: string): Promise<T> {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const why =
        err.name === 'TimeoutError'
          ? `timed out after ${timeoutMs} ms`
          : (err.cause?.code ?? err.message);
      throw new PrometheusError(`${what}: ${why}`);
    }
    const body = (await res.json().catch(() => undefined)) as ApiBody<T> | undefined;
    if (!res.ok || body?.status !== 'success' || body.data === undefined) {
      throw new PrometheusError(`${what}: HTTP ${res.status} ${body?.error ?? ''}`.trim());
    }
    return body.data;
  }

  return {
    async query(expr, atSeconds) {
      const data = await get<{
        resultType: string;
        result: { metric: Record<string, string>; value: [number, string] }[];
      }>('api/v1/query', { query: expr, time: String(atSeconds) }, 'instant query');
      if (data.resultType !== 'vector')
        throw new PrometheusError(`instant query: got ${data.resultType}, not a vector`);
      return data.result.map((r) => ({ labels: r.metric, value: Number.parseFloat(r.value[1]) }));
    },
    async queryRange(expr, startSeconds, endSeconds, stepSeconds) {
      const data = await get<{
        resultType: string;
        result: { metric: Record<string, string>; values: [number, string][] }[];
      }>(
        'api/v1/query_range',
        {
          query: expr,
          start: String(startSeconds),
          end: String(endSeconds),
          step: String(stepSeconds),
        },
        'range query',
      );
      if (data.resultType !== 'matrix')
        throw new PrometheusError(`range query: got ${data.resultType}, not a matrix`);
      return data.result.map((r) => ({
        labels: r.metric,
        points: r.values.map(([t, v]) => [t, Number.parseFloat(v)] as [number, number]),
      }));
    },
    async alerts() {
      const data = await get<{ alerts?: PromAlert[] }>('api/v1/alerts', {}, 'alerts');
      return data.alerts ?? [];
    },
  };
}
