import { EdgeClient } from '@dhakacart/lab-client';

/**
 * A bounded load loop for lab tests: a fixed concurrency, a hard cap on requests AND on time,
 * and it stops by itself. Traffic goes only to the lab on this machine.
 */
export interface LoadStats {
  sent: number;
  ok: number;
  failures: { at: number; what: string }[];
  statuses: Record<string, number>;
  durationMs: number;
}

export interface LoadOptions {
  concurrency: number;
  maxRequests: number;
  maxDurationMs: number;
  /** One request; resolve with its status code, throw on a transport error. */
  request: (i: number) => Promise<number>;
  /** Which statuses count as success (default 2xx). */
  isOk?: (status: number) => boolean;
}

export interface RunningLoad {
  stop(): Promise<LoadStats>;
  done: Promise<LoadStats>;
}

export function startLoad(o: LoadOptions): RunningLoad {
  const isOk = o.isOk ?? ((s: number) => s >= 200 && s < 300);
  const started = Date.now();
  const stats: LoadStats = { sent: 0, ok: 0, failures: [], statuses: {}, durationMs: 0 };
  let stopping = false;
  const worker = async () => {
    while (!stopping && stats.sent < o.maxRequests && Date.now() - started < o.maxDurationMs) {
      const i = stats.sent++;
      try {
        const status = await o.request(i);
        stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
        if (isOk(status)) stats.ok++;
        else stats.failures.push({ at: Date.now() - started, what: `HTTP ${status}` });
      } catch (e) {
        stats.failures.push({ at: Date.now() - started, what: (e as Error).message });
      }
    }
  };
  const done = Promise.all(Array.from({ length: o.concurrency }, worker)).then(() => {
    stats.durationMs = Date.now() - started;
    return stats;
  });
  return {
    done,
    stop: async () => {
      stopping = true;
      return done;
    },
  };
}

/** Bounded GET load over the catalogue: at most 20k requests, and never past the time cap. */
export function catalogueLoad(maxDurationMs: number, client = new EdgeClient({ maxSockets: 64 })) {
  const load = startLoad({
    concurrency: 8,
    maxRequests: 20_000,
    maxDurationMs,
    request: async (i) =>
      (await client.request('GET', `/api/products?page=${(i % 50) + 1}&pageSize=12`)).status,
  });
  void load.done.finally(() => client.close());
  return load;
}
