import { ConfigError, loadConfig } from './config';

const secrets: Record<string, string> = {
  '/run/secrets/db': 'db-password',
  '/run/secrets/session': 's'.repeat(40),
  '/run/secrets/redis': 'redis-password',
};
const read = (p: string) => {
  if (!(p in secrets)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  return secrets[p]!;
};
const base = {
  PUBLIC_ORIGIN: 'https://shop.example',
  DB_HOST: 'db',
  DB_PASSWORD_FILE: '/run/secrets/db',
  SESSION_KEY_FILE: '/run/secrets/session',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, read);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

test('a minimal valid environment gets production defaults and secrets from files', () => {
  const c = loadConfig(base, read);
  expect(c).toMatchObject({ env: 'production', port: 3000, metricsPort: 9464, redis: null });
  expect(c.db.password).toBe('db-password');
  expect(c.cache.enabled).toBe(false); // no Redis configured
  expect(c.session.cookieSecure).toBe(true);
});

test('Redis through Sentinel is parsed into host/port pairs', () => {
  const c = loadConfig(
    { ...base, REDIS_SENTINELS: 's1:26379,s2:26380', REDIS_PASSWORD_FILE: '/run/secrets/redis' },
    read,
  );
  expect(c.redis).toMatchObject({
    sentinels: [
      { host: 's1', port: 26379 },
      { host: 's2', port: 26380 },
    ],
    masterName: 'dhakacart',
    password: 'redis-password',
  });
  expect(c.cache.enabled).toBe(true);
});

test('a Sentinel address outside the ports 1-65535 is refused, naming the variable', () => {
  for (const v of ['s1:0', 's1:26379,s2:65536', 's1:99999']) {
    expect(problems({ ...base, REDIS_SENTINELS: v })).toEqual([
      'REDIS_SENTINELS: each port must be a whole number from 1 to 65535',
    ]);
  }
  expect(problems({ ...base, REDIS_SENTINELS: 's1' })).toEqual([
    'REDIS_SENTINELS: must be host:port[,host:port...]',
  ]);
  expect(problems({ ...base, REDIS_SENTINELS: 's1:1,s2:65535' })).toEqual([]);
});

test('every problem is reported at once, naming the variable', () => {
  const p = problems({
    ...base,
    PORT: 'eighty',
    PAYMENT_FAILURE_RATE: '2',
    PUBLIC_ORIGIN: 'https://x.example/path',
  });
  expect(p.some((x) => x.startsWith('PORT:'))).toBe(true);
  expect(p.some((x) => x.startsWith('PAYMENT_FAILURE_RATE:'))).toBe(true);
  expect(p.some((x) => x.startsWith('PUBLIC_ORIGIN:'))).toBe(true);
});

test('a literal secret in the environment is refused, and its value is never echoed', () => {
  const p = problems({ ...base, DB_PASSWORD: 'hunter2-literal' });
  expect(p).toEqual(['DB_PASSWORD: secrets are read from files; set DB_PASSWORD_FILE instead']);
  expect(p.join()).not.toMatch(/hunter2/);
});

test('unreadable or weak secret files are named', () => {
  expect(problems({ ...base, DB_PASSWORD_FILE: '/missing' })).toEqual([
    'DB_PASSWORD_FILE: cannot read /missing (ENOENT)',
  ]);
  secrets['/run/secrets/short'] = 'short';
  expect(problems({ ...base, SESSION_KEY_FILE: '/run/secrets/short' })).toEqual([
    'SESSION_KEY_FILE: the key must be at least 32 characters',
  ]);
});

test('insecure cookies are refused in production', () => {
  expect(problems({ ...base, COOKIE_SECURE: 'false' })).toEqual([
    'COOKIE_SECURE: must be true in production',
  ]);
  expect(problems({ ...base, COOKIE_SECURE: 'false', NODE_ENV: 'development' })).toEqual([]);
});

test('the ops board is off without PROMETHEUS_URL, and a bad URL is refused', () => {
  expect(loadConfig(base, read).ops).toEqual({
    prometheusUrl: null,
    timeoutMs: 4000,
    cacheTtlSeconds: 15,
    platform: 'swarm',
    logs: { url: null, timeoutMs: 4000, stack: 'dhakacart' },
  });
  const c = loadConfig({ ...base, PROMETHEUS_URL: 'http://prometheus:9090/' }, read);
  expect(c.ops.prometheusUrl).toBe('http://prometheus:9090');
  for (const bad of [
    'prometheus:9090',
    'ftp://prom:9090',
    'http://u:p@prom:9090',
    'http://p/?q=1',
  ]) {
    expect(
      problems({ ...base, PROMETHEUS_URL: bad }).some((x) => x.startsWith('PROMETHEUS_URL:')),
    ).toBe(true);
  }
  expect(problems({ ...base, OPS_CACHE_TTL_SECONDS: '0' })[0]).toMatch(/^OPS_CACHE_TTL_SECONDS:/);
});

test("the board's log tile reads LOGS_URL when set; a bad URL, timeout or stack is refused", () => {
  const c = loadConfig(
    {
      ...base,
      LOGS_URL: 'http://victoria-logs:9428/',
      LOGS_TIMEOUT_MS: '2500',
      LOGS_STACK: 'lab2',
    },
    read,
  );
  expect(c.ops.logs).toEqual({ url: 'http://victoria-logs:9428', timeoutMs: 2500, stack: 'lab2' });
  for (const [k, bad] of [
    ['LOGS_URL', 'victoria-logs:9428'],
    ['LOGS_URL', 'http://u:p@victoria-logs:9428'],
    ['LOGS_URL', 'http://victoria-logs:9428/?q=1'],
    ['LOGS_TIMEOUT_MS', '50'],
    ['LOGS_STACK', 'Bad Stack'],
  ] as const) {
    expect([k, problems({ ...base, [k]: bad }).some((x) => x.startsWith(`${k}:`))]).toEqual([
      k,
      true,
    ]);
  }
});

test('the ops board reads the lab (swarm) series unless OPS_PLATFORM says gke', () => {
  expect(loadConfig({ ...base, OPS_PLATFORM: 'gke' }, read).ops.platform).toBe('gke');
  expect(problems({ ...base, OPS_PLATFORM: 'k8s' })[0]).toMatch(/^OPS_PLATFORM:/);
});

test('database TLS: verify-ca needs a CA file and checks against it', () => {
  expect(problems({ ...base, DB_SSL: 'verify-ca' })).toEqual([
    'DB_SSL_CA_FILE: required when DB_SSL=verify-ca',
  ]);
  secrets['/run/ca.pem'] = '-----BEGIN CERTIFICATE-----x';
  expect(
    loadConfig({ ...base, DB_SSL: 'verify-ca', DB_SSL_CA_FILE: '/run/ca.pem' }, read).db.ssl,
  ).toEqual({
    mode: 'verify-ca',
    ca: '-----BEGIN CERTIFICATE-----x',
  });
  expect(loadConfig({ ...base, DB_SSL: 'require' }, read).db.ssl).toEqual({ mode: 'require' });
  expect(loadConfig(base, read).db.ssl).toBe(false);
});

test('TRUST_PROXY is a hop count when it is a number, else the addresses to trust', () => {
  expect(loadConfig({ ...base, TRUST_PROXY: '1' }, read).trustProxy).toBe(1);
  expect(loadConfig({ ...base, TRUST_PROXY: ' 10.0.0.0/8 ' }, read).trustProxy).toBe('10.0.0.0/8');
  expect(loadConfig(base, read).trustProxy).toBe('loopback, linklocal, uniquelocal');
  expect(problems({ ...base, TRUST_PROXY: ' ' })).toEqual([expect.stringMatching(/^TRUST_PROXY/)]);
});

test('the catalogue fallback for failover reads is off unless DB_FALLBACK_READ_HOST is set', () => {
  expect(loadConfig(base, read).dbFallbackRead).toBeNull();
  const c = loadConfig(
    { ...base, DB_FALLBACK_READ_HOST: 'pgrouter', DB_FALLBACK_READ_PORT: '5433' },
    read,
  );
  expect(c.dbFallbackRead).toMatchObject({
    host: 'pgrouter',
    port: 5433,
    user: c.db.user,
    password: 'db-password',
  });
  expect(problems({ ...base, DB_FALLBACK_READ_HOST: 'x', DB_FALLBACK_READ_PORT: '99999' })).toEqual(
    [expect.stringMatching(/^DB_FALLBACK_READ_PORT/)],
  );
});

test('a number in the environment is decimal digits only, and the refusal names the variable', () => {
  // Each of these is what Number(text) read as a number before: " 20" and "2e1" as 20, "" as 0.
  const numeric = [
    'PORT',
    'DB_POOL_MAX',
    'CACHE_TTL_SECONDS',
    'SESSION_TTL_HOURS',
    'SHUTDOWN_DELAY_MS',
  ];
  for (const text of [' 20', '20 ', '2e1', '0x14', '+20', '20.0', '']) {
    for (const name of numeric) {
      expect({ name, text, problems: problems({ ...base, [name]: text }) }).toEqual({
        name,
        text,
        problems: [`${name}: must be a whole number written in digits`],
      });
    }
  }
  const c = loadConfig({ ...base, DB_POOL_MAX: '015', SHUTDOWN_DELAY_MS: '0' }, read);
  expect([c.db.poolMax, c.shutdown.delayMs]).toEqual([15, 0]);
});

test('the payment failure rate is a decimal between 0 and 1, written in digits', () => {
  expect(loadConfig({ ...base, PAYMENT_FAILURE_RATE: '0.25' }, read).payment.failureRate).toBe(
    0.25,
  );
  for (const text of ['.25', '2.5e-1', ' 0.25', '0x1', ''])
    expect(problems({ ...base, PAYMENT_FAILURE_RATE: text })).toEqual([
      'PAYMENT_FAILURE_RATE: must be a number written in digits, with an optional decimal point',
    ]);
});
