import { Client } from '../../test-support/client';
import { userClient } from '../../test-support/fixtures';
import { ORIGIN, startStack, type TestStack } from '../../test-support/stack';
import { buildOpenApi } from './openapi';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ redis: false });
});
afterAll(() => stack?.stop());

describe('GET /api/admin/openapi.json', () => {
  test('anonymous is 401 and a customer 403: the contract is no map for strangers', async () => {
    const anon = await new Client(stack.api.url, ORIGIN).get('/api/admin/openapi.json');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthenticated');
    const { client } = await userClient(stack.api.url, stack.db, 'customer');
    const r = await client.get('/api/admin/openapi.json');
    expect(r.status).toBe(403);
    expect(r.text).not.toContain('openapi');
  });

  test('staff and admin get the document the schemas generate', async () => {
    for (const role of ['staff', 'admin'] as const) {
      const { client } = await userClient(stack.api.url, stack.db, role);
      const r = await client.get('/api/admin/openapi.json');
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.body).toEqual(buildOpenApi());
    }
  });
});
