import { z } from 'zod';
import type { Redis } from '../cache/redis';
import type { Logger } from '../logger';
import type { PaymentBehaviour } from './payments';

/**
 * The lab's runtime setting for the simulated payment provider: the chaos experiments make it
 * slow or failing without a rolling update. It is read from one Redis key, only when the api is
 * configured with PAYMENT_BEHAVIOUR_SOURCE=redis (the lab's stack; production's configuration
 * never sets it), never from a customer request. Absent, unreadable or malformed, the
 * configured behaviour applies.
 */
export const PAYMENT_BEHAVIOUR_KEY = 'dhakacart:lab:payment-behaviour';

export const paymentBehaviourSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(60_000),
    failureRate: z.number().min(0).max(1),
  })
  .strict();

export function redisPaymentBehaviour(
  redis: Redis,
  fallback: PaymentBehaviour,
  log: Logger,
  cacheMs = 1000,
): () => Promise<PaymentBehaviour> {
  let cached: { at: number; value: PaymentBehaviour } | null = null;
  return async () => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.value;
    let value = fallback;
    try {
      const raw = await redis.get(PAYMENT_BEHAVIOUR_KEY);
      if (raw !== null) {
        const parsed = paymentBehaviourSchema.safeParse(JSON.parse(raw));
        if (parsed.success) value = parsed.data;
        else
          log.warn(
            { key: PAYMENT_BEHAVIOUR_KEY },
            'ignoring a malformed payment behaviour setting',
          );
      }
    } catch {
      // Redis away or the value not JSON: the configured behaviour.
    }
    cached = { at: Date.now(), value };
    return value;
  };
}
