import { newProduct } from '../test-support/fixtures';
import { startStack, type TestStack } from '../test-support/stack';
import { ordersRepo } from './orders-repo';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ redis: false });
}, 120_000);
afterAll(() => stack?.stop());

const stockOf = async (id: number) =>
  (await stack.db.query<{ stock: number }>('SELECT stock FROM products WHERE id = $1', [id]))
    .rows[0]!.stock;

test('adjustStock moves every line of a cart in one statement, summing a product named twice', async () => {
  const [a, b, untouched] = [
    await newProduct(stack.db, 10),
    await newProduct(stack.db, 10),
    await newProduct(stack.db, 10),
  ];
  const c = await stack.db.connect();
  const statements: string[] = [];
  const query = c.query.bind(c);
  (c as unknown as { query: (...a: unknown[]) => unknown }).query = (...args: unknown[]) => {
    statements.push(String(args[0]));
    return (query as (...a: unknown[]) => unknown)(...args);
  };
  try {
    await c.query('BEGIN');
    await ordersRepo(stack.db).adjustStock(c, [
      { productId: a, delta: -3 },
      { productId: b, delta: -1 },
      { productId: a, delta: -2 },
    ]);
    await c.query('COMMIT');
  } finally {
    c.release();
  }
  expect([await stockOf(a), await stockOf(b), await stockOf(untouched)]).toEqual([5, 9, 10]);
  expect(statements.filter((s) => s.includes('UPDATE products'))).toHaveLength(1);
});

test('adjustStock with no lines sends nothing', async () => {
  const c = await stack.db.connect();
  try {
    await expect(ordersRepo(stack.db).adjustStock(c, [])).resolves.toBeUndefined();
  } finally {
    c.release();
  }
});
