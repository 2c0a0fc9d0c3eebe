import { userClient } from '../test-support/fixtures';
import { Client } from '../test-support/client';
import { ORIGIN, startStack, type TestStack } from '../test-support/stack';

// The route's access rules and its answer without Prometheus. The board against a real
// Prometheus is in src/ops/ops.integration.test.ts.
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ redis: false });
});
afterAll(() => stack?.stop());

describe('GET /api/ops/status', () => {
  test('anonymous is 401 and a customer is 403, before Prometheus is even considered', async () => {
    const anon = await new Client(stack.api.url, ORIGIN).get('/api/ops/status');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthenticated');
    const { client } = await userClient(stack.api.url, stack.db, 'customer');
    const customer = await client.get('/api/ops/status');
    expect(customer.status).toBe(403);
    expect(customer.body.error.code).toBe('forbidden');
  });

  test('staff and admin get 503 ops_unavailable while PROMETHEUS_URL is unset', async () => {
    for (const role of ['staff', 'admin'] as const) {
      const { client } = await userClient(stack.api.url, stack.db, role);
      const r = await client.get('/api/ops/status');
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('ops_unavailable');
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
  });

  test('the board takes no query from the request: parameters change nothing', async () => {
    const { client } = await userClient(stack.api.url, stack.db, 'admin');
    const r = await client.get('/api/ops/status?query=up&expr=up');
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('ops_unavailable');
    expect((await client.get('/api/ops/query?query=up')).status).toBe(404);
  });
});
