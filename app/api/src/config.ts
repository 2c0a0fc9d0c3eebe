import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The API's whole configuration, read once at start from the environment and validated.
 * Secrets are only ever read from files named by *_FILE variables.
 */
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const port = z.coerce.number().int().min(1).max(65535);
// 0 asks the OS for a free port (tests).
const listenPort = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  PORT: listenPort.default(3000),
  METRICS_PORT: listenPort.default(9464),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_ORIGIN: z.url().refine((u) => /^https?:\/\/[^/]+$/.test(u), {
    message: 'must be an origin such as https://shop.example (scheme and host, no path)',
  }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().default('loopback, linklocal, uniquelocal'),

  DB_HOST: z.string().min(1),
  DB_PORT: port.default(5432),
  DB_NAME: z.string().min(1).default('dhakacart'),
  DB_USER: z.string().min(1).default('dhakacart'),
  DB_PASSWORD_FILE: z.string().min(1),
  // require: encrypted; verify-ca: encrypted and the server's certificate checked against
  // DB_SSL_CA_FILE (Cloud SQL's server CA; its certificates do not name the private IP).
  DB_SSL: z.enum(['disable', 'require', 'verify-ca']).default('disable'),
  DB_SSL_CA_FILE: z.string().min(1).optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),

  REDIS_HOST: z.string().min(1).optional(),
  REDIS_PORT: port.default(6379),
  REDIS_SENTINELS: z
    .string()
    .regex(/^[^,:\s]+:\d+(,[^,:\s]+:\d+)*$/, 'must be host:port[,host:port...]')
    .optional(),
  REDIS_MASTER_NAME: z.string().default('dhakacart'),
  REDIS_PASSWORD_FILE: z.string().min(1).optional(),
  REDIS_TLS: bool.default(false),
  CACHE_ENABLED: bool.default(true),
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),

  SESSION_KEY_FILE: z.string().min(1),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  COOKIE_SECURE: bool.default(true),

  LOGIN_IP_LIMIT: z.coerce.number().int().min(1).default(30),
  LOGIN_IP_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
  LOGIN_ACCOUNT_LIMIT: z.coerce.number().int().min(1).default(10),
  LOGIN_ACCOUNT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),

  PAYMENT_LATENCY_MS: z.coerce.number().int().min(0).max(60000).default(50),
  PAYMENT_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),

  // The ops status board's data source (GET /api/ops/status). Unset: the endpoint answers 503.
  PROMETHEUS_URL: z
    .url()
    // No credentials in the URL: they would be a secret in the environment.
    .refine((u) => /^https?:\/\/[^/?#@]+(\/[^?#@]*)?$/.test(u), {
      message: 'must be an http(s) URL such as http://prometheus:9090 (no credentials or query)',
    })
    .optional(),
  PROMETHEUS_TIMEOUT_MS: z.coerce.number().int().min(100).max(30000).default(4000),
  OPS_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(300).default(15),

  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(20000).default(0),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(25000).default(25000),
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
  host: string;
  port: number;
  metricsPort: number;
  publicOrigin: string;
  logLevel: Env['LOG_LEVEL'];
  trustProxy: string;
  db: DbConfig;
  redis: RedisConfig | null;
  cache: { enabled: boolean; ttlSeconds: number };
  session: { key: Buffer; ttlHours: number; cookieSecure: boolean };
  loginLimits: {
    ip: { limit: number; windowSeconds: number };
    account: { limit: number; windowSeconds: number };
  };
  payment: { latencyMs: number; failureRate: number; timeoutMs: number };
  /** The ops board's Prometheus; null when PROMETHEUS_URL is unset. */
  ops: { prometheusUrl: string | null; timeoutMs: number; cacheTtlSeconds: number };
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
  if (e.NODE_ENV === 'production' && !e.COOKIE_SECURE) {
    problems.push('COOKIE_SECURE: must be true in production');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    metricsPort: e.METRICS_PORT,
    publicOrigin: e.PUBLIC_ORIGIN,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    db,
    redis,
    cache: { enabled: e.CACHE_ENABLED && redis !== null, ttlSeconds: e.CACHE_TTL_SECONDS },
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
      timeoutMs: e.PAYMENT_TIMEOUT_MS,
    },
    ops: {
      prometheusUrl: e.PROMETHEUS_URL ? e.PROMETHEUS_URL.replace(/\/+$/, '') : null,
      timeoutMs: e.PROMETHEUS_TIMEOUT_MS,
      cacheTtlSeconds: e.OPS_CACHE_TTL_SECONDS,
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
