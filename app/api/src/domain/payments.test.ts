import { simulatedProvider } from './payments';

let n = 0;
const req = (method: 'bkash' | 'nagad' | 'card' | 'cod') => ({
  orderId: `o${++n}`,
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

test('a charge is idempotent per order id: asking again returns the first result, never a second charge', async () => {
  let i = 0;
  // The first ask succeeds, every later one would fail: a replay must still say "paid".
  const p = simulatedProvider({ latencyMs: 0, failureRate: 0.5, random: () => (i++ ? 0 : 0.9) });
  const signal = new AbortController().signal;
  const order = { orderId: 'same-order', amountPaisa: 500, method: 'card' as const };
  const first = await p.charge(order, signal);
  const again = await p.charge(order, signal);
  expect(first.ok).toBe(true);
  expect(again).toEqual(first);
  expect(await p.status('same-order')).toEqual(first);
  expect(await p.status('never-charged')).toBeNull();
});

test('the behaviour is read before each charge, so a runtime setting changes the next one', async () => {
  let failureRate = 0;
  const p = simulatedProvider({
    latencyMs: 0,
    failureRate: 0,
    behaviour: async () => ({ latencyMs: 0, failureRate }),
  });
  const signal = new AbortController().signal;
  expect((await p.charge(req('bkash'), signal)).ok).toBe(true);
  failureRate = 1;
  expect((await p.charge(req('bkash'), signal)).ok).toBe(false);
});
