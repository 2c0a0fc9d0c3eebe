import { randomUUID } from 'node:crypto';
import type { PaymentMethod } from '../data/types';

export interface ChargeRequest {
  orderId: string;
  amountPaisa: number;
  method: PaymentMethod;
}

export type ChargeResult = { ok: true; reference: string } | { ok: false; reason: string };

/**
 * Payment providers (bKash, Nagad, card gateways) sit behind this interface. A charge is
 * idempotent per order id, as the real providers' merchant invoice numbers make it: asking again
 * for the same order returns the first result and never charges twice. That is what lets a
 * retried checkout resume an order whose first attempt was cut off (ADR 0002).
 */
export interface PaymentProvider {
  charge(req: ChargeRequest, signal: AbortSignal): Promise<ChargeResult>;
  /** The order's charge if one was made, for reconciling orders nobody resumed; else null. */
  status(orderId: string): Promise<ChargeResult | null>;
}

/** Where the simulation keeps its one charge per order (the provider's side of the deal). */
export interface ChargeLedger {
  chargeOnce(c: {
    orderId: string;
    method: string;
    amountPaisa: number;
    ok: boolean;
    reference: string | null;
    reason: string | null;
  }): Promise<{ ok: boolean; reference: string | null; reason: string | null }>;
  find(
    orderId: string,
  ): Promise<{ ok: boolean; reference: string | null; reason: string | null } | null>;
}

/** A ledger in this process only: for unit tests and a single replica. */
export function memoryLedger(): ChargeLedger {
  const charges = new Map<
    string,
    { ok: boolean; reference: string | null; reason: string | null }
  >();
  return {
    async chargeOnce(c) {
      const first = charges.get(c.orderId) ?? {
        ok: c.ok,
        reference: c.reference,
        reason: c.reason,
      };
      charges.set(c.orderId, first);
      return first;
    },
    async find(orderId) {
      return charges.get(orderId) ?? null;
    },
  };
}

/** Latency and failure rate; the lab's chaos experiments change them at runtime. */
export interface PaymentBehaviour {
  latencyMs: number;
  /** 0..1: the share of charges that fail. */
  failureRate: number;
}

export interface SimulatedProviderOptions extends PaymentBehaviour {
  random?: () => number;
  ledger?: ChargeLedger;
  /**
   * The behaviour now, read before each charge (the lab's runtime fault setting); absent, the
   * configured latency and failure rate apply.
   */
  behaviour?: () => Promise<PaymentBehaviour>;
}

const toResult = (c: {
  ok: boolean;
  reference: string | null;
  reason: string | null;
}): ChargeResult =>
  c.ok ? { ok: true, reference: c.reference ?? '' } : { ok: false, reason: c.reason ?? 'declined' };

/**
 * A stand-in for the real providers with configurable latency and failure rate.
 * Cash on delivery never fails: nothing is charged until delivery.
 */
export function simulatedProvider(opts: SimulatedProviderOptions): PaymentProvider {
  const random = opts.random ?? Math.random;
  const ledger = opts.ledger ?? memoryLedger();
  const behaviour =
    opts.behaviour ?? (async () => ({ latencyMs: opts.latencyMs, failureRate: opts.failureRate }));
  return {
    async charge(req, signal) {
      const now = await behaviour();
      if (now.latencyMs > 0) {
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, now.latencyMs);
          signal.addEventListener('abort', () => {
            clearTimeout(t);
            reject(new Error('payment provider timed out'));
          });
        });
      }
      const declined = req.method !== 'cod' && random() < now.failureRate;
      return toResult(
        await ledger.chargeOnce({
          orderId: req.orderId,
          method: req.method,
          amountPaisa: req.amountPaisa,
          ok: !declined,
          reference: declined ? null : `${req.method}-${randomUUID()}`,
          reason: declined ? `${req.method} declined the payment` : null,
        }),
      );
    },
    async status(orderId) {
      const c = await ledger.find(orderId);
      return c && toResult(c);
    },
  };
}
