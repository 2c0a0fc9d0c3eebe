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
  const ops = opsService({ source: null, cacheTtlMs: 15000, log });
  await expect(ops.status()).rejects.toMatchObject({ status: 503, code: 'ops_unavailable' });
});

test('one read serves every request within the cache TTL, including concurrent ones', async () => {
  let t = 1_000_000;
  const src = counting();
  const ops = opsService({ source: src, cacheTtlMs: 15000, log, now: () => t });
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
  const ops = opsService({ source: src, cacheTtlMs: 15000, log, now: () => t });
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
