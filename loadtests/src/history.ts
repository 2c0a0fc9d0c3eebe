import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The clients' own history of what the store acknowledged: one JSON line per answered order,
 * appended by every load tool that places orders and read by the invariants checker and the
 * restore drill. An acknowledged order is one the store answered 201 for.
 */
export interface AckedOrder {
  orderId: string;
  /** The Idempotency-Key the order was placed with. */
  key: string;
  /** The customer's e-mail (test accounts only). */
  customer?: string;
  /** When the acknowledgement arrived (ISO 8601). */
  at: string;
}

/** One key's fate, when it was never acknowledged: retried until the budget ran out. */
export interface UnresolvedKey {
  key: string;
  customer?: string;
  unresolved: true;
  lastFailure?: string;
  at: string;
}

export type HistoryLine = AckedOrder | UnresolvedKey;

export class OrderHistory {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  /**
   * A run's history: empty, or, with `continued`, what an earlier run with the same file wrote
   * (a game day that resizes its load keeps one history, so its invariants see every order
   * either load placed).
   */
  static start(file: string, continued = false): OrderHistory {
    const h = new OrderHistory(file);
    if (!continued || !existsSync(file)) writeFileSync(file, '');
    return h;
  }

  acked(o: Omit<AckedOrder, 'at'>): void {
    this.append({ ...o, at: new Date().toISOString() });
  }

  unresolved(o: Omit<UnresolvedKey, 'at' | 'unresolved'>): void {
    this.append({ ...o, unresolved: true, at: new Date().toISOString() });
  }

  private append(line: HistoryLine): void {
    appendFileSync(this.file, JSON.stringify(line) + '\n');
  }
}

/** Reads a history file; a malformed line is an error naming its line number. */
export function readHistory(file: string): HistoryLine[] {
  if (!existsSync(file)) throw new Error(`no order history at ${file}`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l, i) => ({ l, n: i + 1 }))
    .filter(({ l }) => l.trim())
    .map(({ l, n }) => {
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch {
        throw new Error(`${file}:${n}: not JSON`);
      }
      const o = v as Partial<AckedOrder & UnresolvedKey>;
      if (typeof o.key !== 'string' || typeof o.at !== 'string')
        throw new Error(`${file}:${n}: a history line needs "key" and "at"`);
      if (!o.unresolved && typeof o.orderId !== 'string')
        throw new Error(`${file}:${n}: an acknowledged order needs "orderId"`);
      return o as HistoryLine;
    });
}
