import { randomUUID } from 'node:crypto';
import type { PaymentMethod } from '../data/types';

export interface ChargeRequest {
  orderId: string;
  amountPaisa: number;
  method: PaymentMethod;
}

export type ChargeResult = { ok: true; reference: string } | { ok: false; reason: string };

/** Payment providers (bKash, Nagad, card gateways) sit behind this interface. */
export interface PaymentProvider {
  charge(req: ChargeRequest, signal: AbortSignal): Promise<ChargeResult>;
}

export interface SimulatedProviderOptions {
  latencyMs: number;
  /** 0..1: the share of charges that fail (chaos experiments raise it). */
  failureRate: number;
  random?: () => number;
}

/**
 * A stand-in for the real providers with configurable latency and failure rate.
 * Cash on delivery never fails: nothing is charged until delivery.
 */
export function simulatedProvider(opts: SimulatedProviderOptions): PaymentProvider {
  const random = opts.random ?? Math.random;
  return {
    async charge(req, signal) {
      if (opts.latencyMs > 0) {
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, opts.latencyMs);
          signal.addEventListener('abort', () => {
            clearTimeout(t);
            reject(new Error('payment provider timed out'));
          });
        });
      }
      if (req.method !== 'cod' && random() < opts.failureRate) {
        return { ok: false, reason: `${req.method} declined the payment` };
      }
      return { ok: true, reference: `${req.method}-${randomUUID()}` };
    },
  };
}
