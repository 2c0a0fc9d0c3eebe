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

/**
 * Ready means this process can take requests: it is up and not draining. A shared dependency
 * that is down (PostgreSQL failing over, Redis away) makes the replica *degraded*, not unready:
 * every replica shares it, so marking them all unready would let the load balancer route to none
 * and turn a partial outage (catalogue reads still answer from the caches) into a total one. The
 * requests that need the database answer a fast 503 themselves, which the edge counts.
 */
export function createReadiness(
  pool: Pool,
  redis: Redis | null,
  metrics: Metrics,
  /**
   * How long one probe of the dependencies answers every readiness check (default 1 s). The
   * edge checks each replica from four backends every 2 s; without this each check cost a
   * PostgreSQL round trip through the router and a Redis ping. The answer's `ready` does not
   * depend on them (see above), so a second-old dependency status changes no routing.
   */
  probeMaxAgeMs = 1000,
): Readiness {
  let draining = false;
  let last: { at: number; probe: Promise<ReadinessState['checks']> } | null = null;
  const probe = () => {
    if (!last || performance.now() - last.at >= probeMaxAgeMs) {
      last = { at: performance.now(), probe: probeDependencies() };
    }
    return last.probe;
  };
  async function probeDependencies(): Promise<ReadinessState['checks']> {
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
    return { postgres: pg, redis: rd };
  }
  return {
    drain: () => {
      draining = true;
    },
    async check() {
      const checks = await probe();
      const { postgres: pg, redis: rd } = checks;
      if (draining) return { ready: false, status: 'shutting_down', checks };
      return { ready: true, status: pg === 'down' || rd === 'down' ? 'degraded' : 'ready', checks };
    },
  };
}
