import type { Redis } from './redis';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

export interface Cache {
  /**
   * Returns the cached value for key, or loads it. Concurrent misses for one key share a single
   * load in this process, and across replicas a short Redis lock lets one loader fill the key
   * while the others wait briefly for it (stampede protection). Any Redis failure falls back to
   * the loader: a cache problem never becomes an error for the caller.
   */
  getOrLoad<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Makes every catalogue key stale (admin changes). Best effort when Redis is down. */
  invalidateAll(): Promise<void>;
  del(key: string): Promise<void>;
}

export interface CacheOptions {
  redis: Redis | null;
  ttlSeconds: number;
  metrics: Metrics;
  log: Logger;
  /** How long a replica that lost the lock race waits for the winner's value. */
  lockWaitMs?: number;
}

const VERSION_KEY = 'catalog:version';

export function createCache(opts: CacheOptions): Cache {
  const { redis, ttlSeconds, metrics, log } = opts;
  const lockWaitMs = opts.lockWaitMs ?? 300;
  const inflight = new Map<string, Promise<unknown>>();

  const degraded = (err: unknown) => {
    metrics.cacheRequests.inc({ result: 'error' });
    metrics.degraded.set({ dependency: 'redis' }, 1);
    log.debug({ err: (err as Error).message }, 'cache unavailable, reading from PostgreSQL');
  };

  async function loadDirect<T>(load: () => Promise<T>): Promise<T> {
    metrics.catalogDbLoads.inc();
    return load();
  }

  async function fromRedis<T>(key: string, load: () => Promise<T>): Promise<T> {
    const r = redis!;
    let fullKey: string;
    let cached: string | null;
    try {
      const version = (await r.get(VERSION_KEY)) ?? '0';
      fullKey = `catalog:v${version}:${key}`;
      cached = await r.get(fullKey);
      metrics.degraded.set({ dependency: 'redis' }, 0);
    } catch (err) {
      degraded(err);
      return loadDirect(load);
    }
    if (cached !== null) {
      metrics.cacheRequests.inc({ result: 'hit' });
      return JSON.parse(cached) as T;
    }
    metrics.cacheRequests.inc({ result: 'miss' });
    const lockKey = `lock:${fullKey}`;
    let haveLock = true;
    try {
      haveLock = (await r.set(lockKey, '1', 'PX', 5000, 'NX')) === 'OK';
    } catch {
      haveLock = true; // Redis just failed: load ourselves.
    }
    if (!haveLock) {
      // Another replica is loading this key: wait for its value rather than piling on.
      const deadline = Date.now() + lockWaitMs;
      while (Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 25));
        const v = await r.get(fullKey).catch(() => null);
        if (v !== null) return JSON.parse(v) as T;
      }
    }
    const value = await loadDirect(load);
    try {
      await r.set(fullKey, JSON.stringify(value), 'EX', ttlSeconds);
      if (haveLock) await r.del(lockKey);
    } catch (err) {
      degraded(err);
    }
    return value;
  }

  return {
    getOrLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
      if (!redis) {
        metrics.cacheRequests.inc({ result: 'bypass' });
        return loadDirect(load);
      }
      const running = inflight.get(key);
      if (running) return running as Promise<T>;
      const p = fromRedis(key, load).finally(() => inflight.delete(key));
      inflight.set(key, p);
      return p;
    },
    async invalidateAll() {
      if (!redis) return;
      try {
        await redis.incr(VERSION_KEY);
      } catch (err) {
        log.warn(
          { err: (err as Error).message },
          'cache invalidation failed; entries expire by TTL',
        );
      }
    },
    async del(key: string) {
      if (!redis) return;
      try {
        const version = (await redis.get(VERSION_KEY)) ?? '0';
        await redis.del(`catalog:v${version}:${key}`);
      } catch {
        // Best effort: the entry expires by TTL.
      }
    },
  };
}
