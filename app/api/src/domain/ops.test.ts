import { createLogger } from '../logger';
import { PrometheusError } from '../ops/prometheus';
import {
  INSTANT_QUERIES,
  RANGE_QUERIES,
  type OpsObservation,
  type OpsSource,
} from '../ops/queries';
import { AppError } from './errors';
import { opsService } from './ops';

const log = createLogger('silent');
const observation = (at: number): OpsObservation => ({
  at,
  instant: Object.fromEntries(Object.keys(INSTANT_QUERIES).map((k) => [k, []])) as never,
  range: Object.fromEntries(Object.keys(RANGE_QUERIES).map((k) => [k, []])) as never,
  alerts: [],
  loadRun: { ok: true, value: null },
  gameday: { ok: true, value: [] },
});

function counting(fail = false): OpsSource & { reads: number } {
  const src = {
    reads: 0,
    async read(at: number) {
      src.reads++;
      if (fail) throw new PrometheusError('instant query: ECONNREFUSED');
      return observation(at);
    },
  };
  return src;
}

test('without Prometheus the board answers 503 ops_unavailable', async () => {
  const ops = opsService({ source: null, logs: null, cacheTtlMs: 15000, log });
  await expect(ops.status()).rejects.toMatchObject({ status: 503, code: 'ops_unavailable' });
});

test('one read serves every request within the cache TTL, including concurrent ones', async () => {
  let t = 1_000_000;
  const src = counting();
  const ops = opsService({ source: src, logs: null, cacheTtlMs: 15000, log, now: () => t });
  const [a, b] = await Promise.all([ops.status(), ops.status()]);
  expect(a).toBe(b);
  t += 14_999;
  await ops.status();
  expect(src.reads).toBe(1);
  t += 1;
  expect((await ops.status()).generatedAt).toBe(new Date(1_015_000).toISOString());
  expect(src.reads).toBe(2);
});

test('an unreachable Prometheus is a 503 with Retry-After, remembered for 5 s only', async () => {
  let t = 0;
  const src = counting(true);
  const ops = opsService({ source: src, logs: null, cacheTtlMs: 15000, log, now: () => t });
  const err = (await ops.status().catch((e: unknown) => e)) as AppError;
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({
    status: 503,
    code: 'prometheus_unreachable',
    headers: { 'Retry-After': '5' },
  });
  expect(err.message).toContain('ECONNREFUSED');
  t = 4999;
  await ops.status().catch(() => undefined);
  expect(src.reads).toBe(1);
  t = 5000;
  await ops.status().catch(() => undefined);
  expect(src.reads).toBe(2);
});

test('the log tile is read beside Prometheus, once per reading, and lands on the board', async () => {
  let t = 2_000_000;
  let logReads = 0;
  const src = counting();
  const ops = opsService({
    source: src,
    logs: async () => {
      logReads++;
      return {
        status: 'yellow',
        detail: '3 error line(s) in the last full minute (api)',
        windowMinutes: 30,
        errorsPerMinute: [
          { service: 'api', lastMinute: 3, status: 'yellow', points: [[1_999_940, 3]] },
        ],
        topErrors: [{ service: 'api', message: 'unhandled error', count: 3 }],
      };
    },
    cacheTtlMs: 15000,
    log,
    now: () => t,
  });
  const [a] = await Promise.all([ops.status(), ops.status()]);
  expect(a.logs).toEqual({
    status: 'yellow',
    reasons: ['3 error line(s) in the last full minute (api)'],
    windowMinutes: 30,
    services: [{ service: 'api', lastMinute: 3, status: 'yellow', spark: [[1_999_940, 3]] }],
    topErrors: [{ service: 'api', message: 'unhandled error', count: 3 }],
  });
  // Error lines now count towards the badge (the rest of this board knows nothing).
  expect(a.overall).toBe('yellow');
  t += 15_000;
  await ops.status();
  expect([src.reads, logReads]).toEqual([2, 2]);
});

test('without a log store the log tile is unknown and says why; the board still answers', async () => {
  const ops = opsService({ source: counting(), logs: null, cacheTtlMs: 15000, log });
  const b = await ops.status();
  expect(b.logs).toEqual({
    status: 'unknown',
    reasons: ['no log store configured (LOGS_URL is unset)'],
    windowMinutes: null,
    services: [],
    topErrors: [],
  });
  expect(b.overall).toBe('unknown');
});
