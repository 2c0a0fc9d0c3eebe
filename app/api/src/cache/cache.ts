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
  /**
   * The same, as the serialised JSON the cache holds: a hot read is sent as these bytes, with
   * no parse and no stringify on the way.
   */
  getOrLoadRaw(key: string, load: () => Promise<unknown>): Promise<string>;
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
  /**
   * How long past its freshness an entry is kept to answer when PostgreSQL cannot (stale if
   * error): a database failover then costs catalogue readers nothing but staleness.
   */
  staleIfErrorSeconds?: number;
  /**
   * How long past its freshness an entry still answers at once while one background load
   * refreshes it (stale while revalidate; 0: never). A read then waits for the database only
   * for a key nobody read within ttl + this. The staleness bound of what is served is the sum.
   */
  staleWhileRevalidateSeconds?: number;
}

/** An entry is `<written at, ms>|<the JSON>`: the time lets a stale entry stand in for a failed load. */
const wrap = (raw: string) => `${Date.now()}|${raw}`;
function unwrap(entry: string): { at: number; raw: string } {
  const bar = entry.indexOf('|');
  const at = bar > 0 ? Number(entry.slice(0, bar)) : NaN;
  // An entry from before this format (plain JSON) is as good as fresh once, then replaced.
  return Number.isFinite(at) ? { at, raw: entry.slice(bar + 1) } : { at: Date.now(), raw: entry };
}

/**
 * The cross-replica load lock of one key: whoever takes it loads the key from PostgreSQL; it
 * expires by itself after 5 s should its holder die mid-load.
 */
const LOAD_LOCK_MS = 5000;
const takeLoadLock = async (r: Redis, fullKey: string) =>
  (await r.set(`lock:${fullKey}`, '1', 'PX', LOAD_LOCK_MS, 'NX')) === 'OK';
const releaseLoadLock = (r: Redis, fullKey: string) => r.del(`lock:${fullKey}`);

const VERSION_KEY = 'catalog:version';

export function createCache(opts: CacheOptions): Cache {
  const { redis, ttlSeconds, metrics, log } = opts;
  const lockWaitMs = opts.lockWaitMs ?? 300;
  const staleSeconds = opts.staleIfErrorSeconds ?? 300;
  const revalidateMs = (opts.staleWhileRevalidateSeconds ?? 0) * 1000;
  const inflight = new Map<string, Promise<string>>();
  /** Keys this process is refreshing in the background. */
  const refreshing = new Set<string>();

  const degraded = (err: unknown) => {
    metrics.cacheRequests.inc({ result: 'error' });
    metrics.degraded.set({ dependency: 'redis' }, 1);
    log.debug({ err: (err as Error).message }, 'cache unavailable, reading from PostgreSQL');
  };

  async function loadDirect(load: () => Promise<unknown>): Promise<string> {
    metrics.catalogDbLoads.inc();
    return JSON.stringify(await load());
  }

  async function fromRedis(key: string, load: () => Promise<unknown>): Promise<string> {
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
    let stale: string | null = null;
    if (cached !== null) {
      const entry = unwrap(cached);
      const age = Date.now() - entry.at;
      if (age <= ttlSeconds * 1000) {
        metrics.cacheRequests.inc({ result: 'hit' });
        return entry.raw;
      }
      if (age <= ttlSeconds * 1000 + revalidateMs) {
        metrics.cacheRequests.inc({ result: 'revalidate' });
        revalidate(fullKey, load);
        return entry.raw;
      }
      stale = entry.raw;
    }
    metrics.cacheRequests.inc({ result: 'miss' });
    // The database cannot answer (a failover): the stale copy answers instead of an error.
    const loadOrStale = async () => {
      try {
        return await loadDirect(load);
      } catch (err) {
        if (stale === null) throw err;
        metrics.cacheRequests.inc({ result: 'stale' });
        log.debug({ err: (err as Error).message }, 'serving a stale catalogue entry');
        return null;
      }
    };
    // Redis just failed: load ourselves.
    const haveLock = await takeLoadLock(r, fullKey).catch(() => true);
    if (!haveLock) {
      // Another replica is loading this key: wait for its value rather than piling on.
      const deadline = Date.now() + lockWaitMs;
      while (Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 25));
        const v = await r.get(fullKey).catch(() => null);
        if (v !== null && Date.now() - unwrap(v).at <= ttlSeconds * 1000) return unwrap(v).raw;
      }
    }
    const value = await loadOrStale();
    if (value === null) return stale!;
    try {
      await r.set(fullKey, wrap(value), 'EX', ttlSeconds + staleSeconds);
      if (haveLock) await releaseLoadLock(r, fullKey);
    } catch (err) {
      degraded(err);
    }
    return value;
  }

  /**
   * One background load of a key past its freshness: one per process, and across replicas the
   * one that takes the key's lock. Never fails the read that started it: on an error the entry
   * keeps answering until it is too old, and the next read loads it.
   */
  function revalidate(fullKey: string, load: () => Promise<unknown>): void {
    if (refreshing.has(fullKey)) return;
    refreshing.add(fullKey);
    const r = redis!;
    void (async () => {
      if (!(await takeLoadLock(r, fullKey))) return;
      try {
        const value = await loadDirect(load);
        await r.set(fullKey, wrap(value), 'EX', ttlSeconds + staleSeconds);
      } finally {
        await releaseLoadLock(r, fullKey);
      }
    })()
      .catch((err: unknown) =>
        log.debug(
          { err: (err as Error).message },
          'background refresh of a catalogue entry failed',
        ),
      )
      .finally(() => refreshing.delete(fullKey));
  }

  function getOrLoadRaw(key: string, load: () => Promise<unknown>): Promise<string> {
    if (!redis) {
      metrics.cacheRequests.inc({ result: 'bypass' });
      return loadDirect(load);
    }
    const running = inflight.get(key);
    if (running) return running;
    const p = fromRedis(key, load).finally(() => inflight.delete(key));
    inflight.set(key, p);
    return p;
  }

  return {
    getOrLoadRaw,
    async getOrLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
      return JSON.parse(await getOrLoadRaw(key, load)) as T;
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
