import type { Pool } from 'pg';
import type { Redis } from './cache/redis';
import type { Metrics } from './metrics';

export interface ReadinessState {
  ready: boolean;
  status: 'ready' | 'degraded' | 'not_ready' | 'shutting_down';
  checks: { postgres: 'ok' | 'down'; redis: 'ok' | 'down' | 'disabled' };
}

export interface Readiness {
  check(): Promise<ReadinessState>;
  /** Fail readiness from now on (SIGTERM): the load balancer stops sending new requests. */
  drain(): void;
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), ms).unref()),
  ]);

/** Ready means PostgreSQL answers. Redis is optional: without it the API is ready but degraded. */
export function createReadiness(pool: Pool, redis: Redis | null, metrics: Metrics): Readiness {
  let draining = false;
  return {
    drain: () => {
      draining = true;
    },
    async check() {
      const [pg, rd] = await Promise.all([
        withTimeout(pool.query('SELECT 1'), 1000).then(
          () => 'ok' as const,
          () => 'down' as const,
        ),
        redis
          ? withTimeout(redis.ping(), 500).then(
              () => 'ok' as const,
              () => 'down' as const,
            )
          : Promise.resolve('disabled' as const),
      ]);
      metrics.degraded.set({ dependency: 'redis' }, rd === 'down' ? 1 : 0);
      metrics.degraded.set({ dependency: 'postgres' }, pg === 'down' ? 1 : 0);
      const checks = { postgres: pg, redis: rd };
      if (draining) return { ready: false, status: 'shutting_down', checks };
      if (pg === 'down') return { ready: false, status: 'not_ready', checks };
      return { ready: true, status: rd === 'down' ? 'degraded' : 'ready', checks };
    },
  };
}
