import type { Redis } from '../cache/redis';

export interface Limit {
  limit: number;
  windowSeconds: number;
}

export interface RateLimiter {
  /** Counts one attempt; returns the seconds to wait when the limit is exceeded, else 0. */
  hit(key: string, l: Limit): Promise<number>;
  reset(key: string): Promise<void>;
}

/**
 * Fixed-window counters in Redis, shared by every replica. While Redis is down each process
 * keeps its own counters, so login stays limited (per replica) rather than unlimited.
 */
export function createRateLimiter(redis: Redis | null, now: () => number = Date.now): RateLimiter {
  const local = new Map<string, { count: number; resetAt: number }>();

  function hitLocal(key: string, l: Limit): number {
    const t = now();
    let e = local.get(key);
    if (!e || e.resetAt <= t) {
      e = { count: 0, resetAt: t + l.windowSeconds * 1000 };
      local.set(key, e);
      if (local.size > 100_000) local.clear(); // bound memory under an attack
    }
    e.count += 1;
    return e.count > l.limit ? Math.ceil((e.resetAt - t) / 1000) : 0;
  }

  return {
    async hit(key, l) {
      if (redis) {
        try {
          const k = `ratelimit:${key}`;
          const res = await redis.multi().incr(k).expire(k, l.windowSeconds, 'NX').ttl(k).exec();
          const count = Number(res?.[0]?.[1]);
          const ttl = Number(res?.[2]?.[1]);
          if (Number.isFinite(count)) return count > l.limit ? Math.max(1, ttl) : 0;
        } catch {
          // fall through to the local counter
        }
      }
      return hitLocal(key, l);
    },
    async reset(key) {
      local.delete(key);
      if (redis) await redis.del(`ratelimit:${key}`).catch(() => undefined);
    },
  };
}
