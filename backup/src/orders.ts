import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { BackupError } from './errors';
import { psqlExec, PsqlSession } from './psql';
import { sleep } from './sh';

/** One acknowledged order, as a client recorded it (a JSON line). */
export const HistoryLine = z.object({
  orderId: z.string().uuid(),
  key: z.string().min(1),
  at: z.string().datetime({ offset: true }),
});
export type Ack = z.infer<typeof HistoryLine>;

export function readHistory(file: string): Ack[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new BackupError('usage', `cannot read the order history ${file}`);
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = HistoryLine.safeParse(safeJson(l));
      if (!r.success)
        throw new BackupError('usage', `${file} line ${i + 1} is not {orderId, key, at}`);
      return r.data;
    });
}

const safeJson = (l: string): unknown => {
  try {
    return JSON.parse(l);
  } catch {
    return null;
  }
};

const WRITER_EMAIL = 'backup-drill-writer@dhakacart.lab';

/** The rows the writer's orders refer to (idempotent): a category, products and a customer. */
export const FIXTURES_SQL = `
INSERT INTO categories (slug, name) VALUES ('backup-drill', 'Backup drill') ON CONFLICT (slug) DO NOTHING;
INSERT INTO products (sku, name, category_id, price_paisa, stock)
SELECT 'DRILL-' || n, 'Drill item ' || n, (SELECT id FROM categories WHERE slug = 'backup-drill'), 1000 * n, 1000000
FROM generate_series(1, 5) n ON CONFLICT (sku) DO NOTHING;
INSERT INTO users (email, password_hash, name) SELECT '${WRITER_EMAIL}', 'not-a-login', 'Backup drill writer'
WHERE NOT EXISTS (SELECT 1 FROM users WHERE email = '${WRITER_EMAIL}');
`;

/** One order with one item, as a single statement (one transaction); returns its id. */
export function orderSql(key: string, item: number, quantity: number): string {
  return `WITH p AS (SELECT id, name, price_paisa FROM products WHERE sku = 'DRILL-${item}'),
o AS (INSERT INTO orders (user_id, idempotency_key, request_hash, status, payment_method, total_paisa, shipping_address)
  SELECT (SELECT id FROM users WHERE email = '${WRITER_EMAIL}'), '${key}', md5('${key}'), 'confirmed', 'cod',
         p.price_paisa * ${quantity}, '{"name":"Drill","city":"Dhaka","line1":"Road 1"}'::jsonb FROM p
  RETURNING id)
INSERT INTO order_items (order_id, product_id, name, quantity, price_paisa)
SELECT o.id, p.id, p.name, ${quantity}, p.price_paisa FROM o, p RETURNING order_id`;
}

export interface WriterOptions {
  /** The live leader's container, asked again after a failure (it may have moved). */
  leader: () => Promise<string>;
  historyFile: string;
  /** One order starts every intervalMs (default 50). */
  intervalMs?: number;
  maxOrders?: number;
  maxDurationMs?: number;
}

/**
 * Continuous order writes, each recorded in the history only once PostgreSQL acknowledged it:
 * the clients' view the drill checks the restore against.
 */
export class OrderWriter {
  acked = 0;
  failed = 0;
  private stopping = false;
  private done: Promise<void> | null = null;

  constructor(private opts: WriterOptions) {}

  async prepare() {
    await psqlExec(await this.opts.leader(), FIXTURES_SQL);
  }

  start() {
    this.done = this.loop();
  }

  private async loop() {
    const deadline = Date.now() + (this.opts.maxDurationMs ?? 30 * 60_000);
    const max = this.opts.maxOrders ?? 1_000_000;
    let session: PsqlSession | null = null;
    try {
      for (let i = 0; i < max && !this.stopping && Date.now() < deadline; i++) {
        const began = Date.now();
        if (!session?.alive) session = new PsqlSession(await this.opts.leader());
        const key = `drill-${randomUUID()}`;
        const rows = await session.query(orderSql(key, (i % 5) + 1, (i % 3) + 1));
        const id = rows?.[0];
        if (id && /^[0-9a-f-]{36}$/.test(id)) {
          appendFileSync(
            this.opts.historyFile,
            JSON.stringify({ orderId: id, key, at: new Date().toISOString() }) + '\n',
          );
          this.acked++;
        } else this.failed++;
        // Paced: one order starts every interval (when the database keeps up), so two runs
        // with the same interval put the same load on it.
        await sleep(Math.max(0, (this.opts.intervalMs ?? 50) - (Date.now() - began)));
      }
    } finally {
      session?.close();
    }
  }

  async stop() {
    this.stopping = true;
    await this.done;
  }
}
