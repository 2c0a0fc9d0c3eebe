import { simulatedProvider } from './payments';

const req = (method: 'bkash' | 'nagad' | 'card' | 'cod') => ({
  orderId: 'o1',
  amountPaisa: 100,
  method,
});

test('the failure rate decides declines; cash on delivery never fails', async () => {
  const always = simulatedProvider({ latencyMs: 0, failureRate: 1 });
  const signal = new AbortController().signal;
  expect(await always.charge(req('bkash'), signal)).toEqual({
    ok: false,
    reason: 'bkash declined the payment',
  });
  expect((await always.charge(req('cod'), signal)).ok).toBe(true);
  const never = simulatedProvider({ latencyMs: 0, failureRate: 0 });
  const r = await never.charge(req('card'), signal);
  expect(r.ok && r.reference.startsWith('card-')).toBe(true);
});

test('a fixed random source gives the configured share of failures', async () => {
  let i = 0;
  const values = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];
  const p = simulatedProvider({
    latencyMs: 0,
    failureRate: 0.3,
    random: () => values[i++ % values.length]!,
  });
  const signal = new AbortController().signal;
  const results = await Promise.all(values.map(() => p.charge(req('nagad'), signal)));
  expect(results.filter((r) => !r.ok)).toHaveLength(3);
});

test('latency is honoured and an abort ends the wait', async () => {
  const p = simulatedProvider({ latencyMs: 10_000, failureRate: 0 });
  const ac = new AbortController();
  const started = Date.now();
  setTimeout(() => ac.abort(), 50);
  await expect(p.charge(req('card'), ac.signal)).rejects.toThrow(/timed out/);
  expect(Date.now() - started).toBeLessThan(2000);
});
