import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Pool } from 'pg';
import { loadConfig, type Config } from '../config';
import { createPool } from '../data/pool';
import { createLogger } from '../logger';
import { seedCatalog } from '../seed/seed';
import { startApi, type RunningApi } from '../server';
import type { PaymentProvider } from '../domain/payments';
import {
  freePort,
  startPostgres,
  startRedis,
  type StartedPostgres,
  type StartedRedis,
} from './containers';

const run = promisify(execFile);
export const API_ROOT = join(__dirname, '..', '..');
export const ORIGIN = 'https://shop.test';

export interface TestStack {
  pg: StartedPostgres;
  redis: StartedRedis | null;
  /** A direct pool for the test's own set-up and assertions. */
  db: Pool;
  api: RunningApi;
  config: Config;
  /** The environment the API was configured with (secrets as files in secretDir). */
  env: Record<string, string>;
  secretDir: string;
  stop(): Promise<void>;
}

/** Runs the real migration command (a separate step, as in production). */
export async function migrate(env: Record<string, string>) {
  await run('npx', ['--no-install', 'tsx', 'src/cli/migrate.ts', 'up'], {
    cwd: API_ROOT,
    env: { ...process.env, ...env },
  });
}

export function stackEnv(pg: StartedPostgres, redis: StartedRedis | null, secretDir: string) {
  writeFileSync(join(secretDir, 'db_password'), pg.password);
  writeFileSync(join(secretDir, 'session_key'), randomBytes(32).toString('hex'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    PUBLIC_ORIGIN: ORIGIN,
    LOG_LEVEL: 'silent',
    DB_HOST: pg.host,
    DB_PORT: String(pg.port),
    DB_PASSWORD_FILE: join(secretDir, 'db_password'),
    SESSION_KEY_FILE: join(secretDir, 'session_key'),
    PAYMENT_LATENCY_MS: '0',
  };
  if (redis) {
    writeFileSync(join(secretDir, 'redis_password'), redis.password);
    env.REDIS_HOST = redis.host;
    env.REDIS_PORT = String(redis.port);
    env.REDIS_PASSWORD_FILE = join(secretDir, 'redis_password');
  }
  return env;
}

/** Real PostgreSQL (+ Redis), migrated and seeded, with the API running in this process. */
export async function startStack(
  opts: {
    redis?: boolean;
    env?: Record<string, string>;
    payments?: PaymentProvider;
    fixedPorts?: boolean;
    /** Where the api (only) reaches PostgreSQL instead, e.g. a proxy in front of it. */
    dbVia?: (pg: StartedPostgres) => Promise<{
      host: string;
      port: number;
      /** Where the catalogue's failover reads go (DB_FALLBACK_READ_*). */
      fallbackRead?: { host: string; port: number };
    }>;
  } = {},
): Promise<TestStack> {
  const port = async () => (opts.fixedPorts ? { hostPort: await freePort() } : {});
  const [pg, redis] = await Promise.all([
    startPostgres(await port()),
    opts.redis === false ? null : startRedis(await port()),
  ]);
  const secretDir = mkdtempSync(join(tmpdir(), 'dhakacart-test-'));
  const env = { ...stackEnv(pg, redis, secretDir), ...opts.env };
  await migrate(env);
  const db = createPool(loadConfig(env).db);
  if (opts.dbVia) {
    const via = await opts.dbVia(pg);
    env.DB_HOST = via.host;
    env.DB_PORT = String(via.port);
    if (via.fallbackRead) {
      env.DB_FALLBACK_READ_HOST = via.fallbackRead.host;
      env.DB_FALLBACK_READ_PORT = String(via.fallbackRead.port);
    }
  }
  const config = loadConfig(env);
  await seedCatalog(db);
  const api = await startApi(config, createLogger('silent'), { payments: opts.payments });
  if (redis) await waitForReady(api.url);
  return {
    pg,
    redis,
    db,
    api,
    config,
    env,
    secretDir,
    async stop() {
      await api.stop().catch(() => undefined);
      await db.end().catch(() => undefined);
      await Promise.all([pg.container.stop(), redis?.container.stop()]);
      rmSync(secretDir, { recursive: true, force: true });
    },
  };
}

export const uniqueEmail = (tag = 'user') => `${tag}-${randomUUID().slice(0, 8)}@example.test`;

/** Until Redis has connected the API is (correctly) only "degraded"; tests start from "ready". */
async function waitForReady(url: string) {
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${url}/readyz`).catch(() => null);
    if (r && ((await r.json()) as { status: string }).status === 'ready') return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('API did not become ready');
}
