import { readFileSync } from 'node:fs';
import { decimalNumberText, wholeNumberText } from '@dhakacart/numeric-text';
import { z } from 'zod';
import { OPS_PLATFORMS, type OpsPlatform } from './ops/queries';

/**
 * The API's whole configuration, read once at start from the environment and validated.
 * Secrets are only ever read from files named by *_FILE variables.
 */
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
// Numbers are decimal digits only: " 20", "2e1" or "0x14" is refused, not read as 20.
const port = wholeNumberText(1, 65535);
const SENTINELS = /^[^,:\s]+:\d+(,[^,:\s]+:\d+)*$/;
// 0 asks the OS for a free port (tests).
const listenPort = wholeNumberText(0, 65535);

/** An http(s) URL without credentials (they would be a secret in the environment) or a query. */
const httpUrl = (example: string) =>
  z.url().refine((u) => /^https?:\/\/[^/?#@]+(\/[^?#@]*)?$/.test(u), {
    message: `must be an http(s) URL such as ${example} (no credentials or query)`,
  });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  // The running release (a commit, or a commit and a build number), on every metric series.
  APP_VERSION: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash or underscore, at most 64')
    .default('unversioned'),
  PORT: listenPort.default(3000),
  METRICS_PORT: listenPort.default(9464),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_ORIGIN: z.url().refine((u) => /^https?:\/\/[^/]+$/.test(u), {
    message: 'must be an origin such as https://shop.example (scheme and host, no path)',
  }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Which peers may set X-Forwarded-For (the client address used by the login limits): a number
  // of proxy hops (the lab: 1, its edge, which sets the header itself), or addresses/subnets and
  // Express's names (loopback, linklocal, uniquelocal). docs/security.md explains the choice.
  TRUST_PROXY: z
    .string()
    .trim()
    .min(1)
    .default('loopback, linklocal, uniquelocal')
    .transform((v) => (/^\d{1,2}$/.test(v) ? Number(v) : v)),

  DB_HOST: z.string().min(1),
  DB_PORT: port.default(5432),
  DB_NAME: z.string().min(1).default('dhakacart'),
  DB_USER: z.string().min(1).default('dhakacart'),
  DB_PASSWORD_FILE: z.string().min(1),
  // require: encrypted; verify-ca: encrypted and the server's certificate checked against
  // DB_SSL_CA_FILE (Cloud SQL's server CA; its certificates do not name the private IP).
  DB_SSL: z.enum(['disable', 'require', 'verify-ca']).default('disable'),
  DB_SSL_CA_FILE: z.string().min(1).optional(),
  DB_POOL_MAX: wholeNumberText(1, 200).default(20),
  DB_STATEMENT_TIMEOUT_MS: wholeNumberText(100).default(5000),
  // Where a catalogue read goes when the primary is gone (a failover): the lab's router port
  // that leads to any running replica. Unset: the read is asked again on the primary.
  DB_FALLBACK_READ_HOST: z.string().min(1).optional(),
  DB_FALLBACK_READ_PORT: port.optional(),
  // With a fallback: a catalogue read the primary has not answered within this long is asked
  // there too, and the first answer wins (0: only after the primary fails).
  DB_FALLBACK_READ_HEDGE_MS: wholeNumberText(0, 5000).default(150),

  REDIS_HOST: z.string().min(1).optional(),
  REDIS_PORT: port.default(6379),
  REDIS_SENTINELS: z
    .string()
    .regex(SENTINELS, 'must be host:port[,host:port...]')
    // As REDIS_PORT: a port is 1-65535 (the pattern alone took s1:0 and s1:99999). Checked only
    // on a list the pattern took, so a malformed one gets one message.
    .refine(
      (v) =>
        !SENTINELS.test(v) ||
        v.split(',').every((hp) => port.safeParse(hp.slice(hp.indexOf(':') + 1)).success),
      'each port must be a whole number from 1 to 65535',
    )
    .optional(),
  REDIS_MASTER_NAME: z.string().default('dhakacart'),
  REDIS_PASSWORD_FILE: z.string().min(1).optional(),
  REDIS_TLS: bool.default(false),
  CACHE_ENABLED: bool.default(true),
  CACHE_TTL_SECONDS: wholeNumberText(1, 86400).default(60),
  // Past CACHE_TTL_SECONDS an entry still answers for this long while one background load
  // refreshes it; the staleness bound of the api's answers is the sum (docs/adr/0205).
  CACHE_STALE_WHILE_REVALIDATE_SECONDS: wholeNumberText(0, 3600).default(0),
  // How long shared caches (the lab's edge, Cloud CDN) and browsers may keep a public catalogue
  // answer: the catalogue's staleness bound. 0 makes it uncacheable (the benchmark's cache-off).
  CATALOGUE_MAX_AGE_SECONDS: wholeNumberText(0, 300).default(5),

  SESSION_KEY_FILE: z.string().min(1),
  SESSION_TTL_HOURS: wholeNumberText(1, 24 * 90).default(24 * 7),
  COOKIE_SECURE: bool.default(true),

  LOGIN_IP_LIMIT: wholeNumberText(1).default(30),
  LOGIN_IP_WINDOW_SECONDS: wholeNumberText(1).default(300),
  LOGIN_ACCOUNT_LIMIT: wholeNumberText(1).default(10),
  LOGIN_ACCOUNT_WINDOW_SECONDS: wholeNumberText(1).default(900),

  PAYMENT_LATENCY_MS: wholeNumberText(0, 60000).default(50),
  PAYMENT_FAILURE_RATE: decimalNumberText(0, 1).default(0),
  // Where the simulated provider's latency and failure rate come from at runtime: 'config' (the
  // two settings above, production) or 'redis' (a lab-only key the chaos experiments set).
  PAYMENT_BEHAVIOUR_SOURCE: z.enum(['config', 'redis']).default('config'),
  PAYMENT_TIMEOUT_MS: wholeNumberText(100).default(10000),
  // How long one checkout keeps retrying its reserve while the database is unreachable; 0 lets a
  // failover's first error end the request (its order is then resumed by a retry of the key).
  CHECKOUT_RESERVE_RETRY_MS: wholeNumberText(0, 30000).default(8000),

  // The ops status board's data source (GET /api/ops/status). Unset: the endpoint answers 503.
  PROMETHEUS_URL: httpUrl('http://prometheus:9090').optional(),
  PROMETHEUS_TIMEOUT_MS: wholeNumberText(100, 30000).default(4000),
  // Which series the board reads replicas and container limits from: the lab (swarm) or GKE.
  OPS_PLATFORM: z.enum(OPS_PLATFORMS).default('swarm'),
  OPS_CACHE_TTL_SECONDS: wholeNumberText(1, 300).default(15),
  // The board's log tile: the lab's VictoriaLogs (e.g. http://victoria-logs:9428). Unset: the
  // tile is "unknown" (GKE's logs are in Loki, which the tile does not read).
  LOGS_URL: httpUrl('http://victoria-logs:9428').optional(),
  LOGS_TIMEOUT_MS: wholeNumberText(100, 30000).default(4000),
  // Whose lines count: the Swarm stack the log driver labels them with.
  LOGS_STACK: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a Swarm stack name: lower-case letters, digits, - or _')
    .default('dhakacart'),

  SHUTDOWN_DELAY_MS: wholeNumberText(0, 20000).default(0),
  SHUTDOWN_TIMEOUT_MS: wholeNumberText(1000, 25000).default(25000),
});

export type Env = z.infer<typeof envSchema>;

export interface DbConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  ssl: false | { mode: 'require' } | { mode: 'verify-ca'; ca: string };
  poolMax: number;
  statementTimeoutMs: number;
}

export interface RedisConfig {
  host?: string;
  port: number;
  sentinels?: { host: string; port: number }[];
  masterName: string;
  password?: string;
  tls: boolean;
}

export interface Config {
  env: Env['NODE_ENV'];
  version: string;
  host: string;
  port: number;
  metricsPort: number;
  publicOrigin: string;
  logLevel: Env['LOG_LEVEL'];
  /** A hop count, or the addresses Express trusts (its `trust proxy` setting). */
  trustProxy: number | string;
  db: DbConfig;
  /** The catalogue's fallback for reads during a failover (same credentials); null: none. */
  dbFallbackRead: (DbConfig & { hedgeAfterMs: number }) | null;
  redis: RedisConfig | null;
  cache: {
    enabled: boolean;
    ttlSeconds: number;
    staleWhileRevalidateSeconds: number;
    publicMaxAgeSeconds: number;
  };
  session: { key: Buffer; ttlHours: number; cookieSecure: boolean };
  loginLimits: {
    ip: { limit: number; windowSeconds: number };
    account: { limit: number; windowSeconds: number };
  };
  payment: {
    latencyMs: number;
    failureRate: number;
    timeoutMs: number;
    behaviourSource: 'config' | 'redis';
  };
  checkout: { reserveRetryMs: number };
  /** The ops board's Prometheus; null when PROMETHEUS_URL is unset. */
  ops: {
    prometheusUrl: string | null;
    timeoutMs: number;
    cacheTtlSeconds: number;
    platform: OpsPlatform;
    /** The log tile's store; url null when LOGS_URL is unset. */
    logs: { url: string | null; timeoutMs: number; stack: string };
  };
  shutdown: { delayMs: number; timeoutMs: number };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type ReadSecret = (path: string) => string;
const readSecretFile: ReadSecret = (path) => readFileSync(path, 'utf8').trim();

function parseEnv(env: NodeJS.ProcessEnv): Env {
  // Secrets must come from files: a literal in the environment is refused, not ignored.
  const literal = ['DB_PASSWORD', 'REDIS_PASSWORD', 'SESSION_KEY'].filter(
    (k) => env[k] !== undefined,
  );
  const result = envSchema.safeParse(env);
  const problems = literal.map((k) => `${k}: secrets are read from files; set ${k}_FILE instead`);
  if (!result.success) {
    problems.push(...result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  if (problems.length || !result.success) throw new ConfigError(problems);
  return result.data;
}

function secret(name: string, path: string, read: ReadSecret, problems: string[]): string {
  try {
    const v = read(path);
    if (!v) problems.push(`${name}: file ${path} is empty`);
    return v;
  } catch (e) {
    problems.push(`${name}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    return '';
  }
}

export function dbConfigFrom(e: Env, read: ReadSecret, problems: string[]): DbConfig {
  return {
    host: e.DB_HOST,
    port: e.DB_PORT,
    database: e.DB_NAME,
    user: e.DB_USER,
    password: secret('DB_PASSWORD_FILE', e.DB_PASSWORD_FILE, read, problems),
    ssl:
      e.DB_SSL === 'disable'
        ? false
        : e.DB_SSL === 'require'
          ? { mode: 'require' }
          : {
              mode: 'verify-ca',
              ca: e.DB_SSL_CA_FILE
                ? secret('DB_SSL_CA_FILE', e.DB_SSL_CA_FILE, read, problems)
                : (problems.push('DB_SSL_CA_FILE: required when DB_SSL=verify-ca'), ''),
            },
    poolMax: e.DB_POOL_MAX,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
  };
}

/** Loads and validates everything; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, read = readSecretFile): Config {
  const e = parseEnv(env);
  const problems: string[] = [];
  const db = dbConfigFrom(e, read, problems);
  let redis: RedisConfig | null = null;
  if (e.REDIS_HOST || e.REDIS_SENTINELS) {
    redis = {
      host: e.REDIS_HOST,
      port: e.REDIS_PORT,
      sentinels: e.REDIS_SENTINELS?.split(',').map((hp) => {
        const [host, p] = hp.split(':');
        return { host: host!, port: Number(p) };
      }),
      masterName: e.REDIS_MASTER_NAME,
      password: e.REDIS_PASSWORD_FILE
        ? secret('REDIS_PASSWORD_FILE', e.REDIS_PASSWORD_FILE, read, problems)
        : undefined,
      tls: e.REDIS_TLS,
    };
  }
  const sessionKey = secret('SESSION_KEY_FILE', e.SESSION_KEY_FILE, read, problems);
  if (sessionKey && sessionKey.length < 32) {
    problems.push('SESSION_KEY_FILE: the key must be at least 32 characters');
  }
  if (e.PAYMENT_BEHAVIOUR_SOURCE === 'redis' && !redis) {
    problems.push('PAYMENT_BEHAVIOUR_SOURCE: redis needs REDIS_HOST or REDIS_SENTINELS');
  }
  if (e.NODE_ENV === 'production' && !e.COOKIE_SECURE) {
    problems.push('COOKIE_SECURE: must be true in production');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    env: e.NODE_ENV,
    version: e.APP_VERSION,
    host: e.HOST,
    port: e.PORT,
    metricsPort: e.METRICS_PORT,
    publicOrigin: e.PUBLIC_ORIGIN,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    db,
    dbFallbackRead: e.DB_FALLBACK_READ_HOST
      ? {
          ...db,
          host: e.DB_FALLBACK_READ_HOST,
          port: e.DB_FALLBACK_READ_PORT ?? e.DB_PORT,
          poolMax: Math.max(2, Math.ceil(db.poolMax / 4)),
          hedgeAfterMs: e.DB_FALLBACK_READ_HEDGE_MS,
        }
      : null,
    redis,
    cache: {
      enabled: e.CACHE_ENABLED && redis !== null,
      ttlSeconds: e.CACHE_TTL_SECONDS,
      staleWhileRevalidateSeconds: e.CACHE_STALE_WHILE_REVALIDATE_SECONDS,
      publicMaxAgeSeconds: e.CATALOGUE_MAX_AGE_SECONDS,
    },
    session: {
      key: Buffer.from(sessionKey),
      ttlHours: e.SESSION_TTL_HOURS,
      cookieSecure: e.COOKIE_SECURE,
    },
    loginLimits: {
      ip: { limit: e.LOGIN_IP_LIMIT, windowSeconds: e.LOGIN_IP_WINDOW_SECONDS },
      account: { limit: e.LOGIN_ACCOUNT_LIMIT, windowSeconds: e.LOGIN_ACCOUNT_WINDOW_SECONDS },
    },
    payment: {
      latencyMs: e.PAYMENT_LATENCY_MS,
      failureRate: e.PAYMENT_FAILURE_RATE,
      behaviourSource: e.PAYMENT_BEHAVIOUR_SOURCE,
      timeoutMs: e.PAYMENT_TIMEOUT_MS,
    },
    checkout: { reserveRetryMs: e.CHECKOUT_RESERVE_RETRY_MS },
    ops: {
      prometheusUrl: e.PROMETHEUS_URL ? e.PROMETHEUS_URL.replace(/\/+$/, '') : null,
      timeoutMs: e.PROMETHEUS_TIMEOUT_MS,
      cacheTtlSeconds: e.OPS_CACHE_TTL_SECONDS,
      platform: e.OPS_PLATFORM,
      logs: {
        url: e.LOGS_URL ? e.LOGS_URL.replace(/\/+$/, '') : null,
        timeoutMs: e.LOGS_TIMEOUT_MS,
        stack: e.LOGS_STACK,
      },
    },
    shutdown: { delayMs: e.SHUTDOWN_DELAY_MS, timeoutMs: e.SHUTDOWN_TIMEOUT_MS },
  };
}

/** Only the database part, for the migration and seed commands. */
export function loadDbConfig(
  env: NodeJS.ProcessEnv = process.env,
  read = readSecretFile,
): DbConfig {
  const schema = envSchema.pick({
    DB_HOST: true,
    DB_PORT: true,
    DB_NAME: true,
    DB_USER: true,
    DB_PASSWORD_FILE: true,
    DB_SSL: true,
    DB_SSL_CA_FILE: true,
    DB_POOL_MAX: true,
    DB_STATEMENT_TIMEOUT_MS: true,
  });
  const r = schema.safeParse(env);
  if (!r.success)
    throw new ConfigError(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const problems: string[] = [];
  const db = dbConfigFrom({ ...(r.data as Env) }, read, problems);
  if (problems.length) throw new ConfigError(problems);
  return db;
}
