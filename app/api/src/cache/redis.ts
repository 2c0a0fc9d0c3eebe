import Redis, { type RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config';
import type { Logger } from '../logger';

export type { Redis };

/**
 * A Redis client tuned to fail fast: with no offline queue and a short command timeout, a lost
 * Redis costs each request milliseconds, not seconds, and callers fall back to PostgreSQL.
 */
export function createRedis(cfg: RedisConfig, log: Logger, onState?: (up: boolean) => void): Redis {
  const common: RedisOptions = {
    password: cfg.password,
    tls: cfg.tls ? {} : undefined,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 250,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(100 * times, 2000),
    lazyConnect: false,
  };
  const client = cfg.sentinels?.length
    ? new Redis({
        ...common,
        sentinels: cfg.sentinels,
        name: cfg.masterName,
        sentinelPassword: cfg.password,
        sentinelRetryStrategy: (times) => Math.min(100 * times, 2000),
        // After a failover, reconnect to the newly promoted primary.
        failoverDetector: true,
      })
    : new Redis({ ...common, host: cfg.host, port: cfg.port });
  client.on('ready', () => {
    log.info('redis ready');
    onState?.(true);
  });
  client.on('end', () => onState?.(false));
  client.on('close', () => onState?.(false));
  client.on('error', (err: Error) => log.debug({ err: err.message }, 'redis error'));
  return client;
}
