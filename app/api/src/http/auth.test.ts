import { Client } from '../test-support/client';
import { ORIGIN, startStack, uniqueEmail, type TestStack } from '../test-support/stack';

let stack: TestStack;
beforeAll(async () => {
  // Small login limits so the rate-limit tests need few requests.
  stack = await startStack({
    env: { LOGIN_ACCOUNT_LIMIT: '3', LOGIN_ACCOUNT_WINDOW_SECONDS: '60', LOGIN_IP_LIMIT: '8' },
  });
});
afterAll(() => stack?.stop());

const client = () => new Client(stack.api.url, ORIGIN);
const password = 'correct horse battery';

describe('accounts', () => {
  test('register creates a customer, sets a secure session cookie and stores only an argon2id hash', async () => {
    const c = client();
    const email = uniqueEmail('reg');
    const r = await c.post('/api/auth/register', { email, password, name: 'Rahim' });
    expect(r.status).toBe(201);
    expect(r.body.user).toEqual({ id: expect.any(String), email, name: 'Rahim', role: 'customer' });
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/sid=[A-Za-z0-9_-]{40,}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const row = await stack.db.query('SELECT password_hash FROM users WHERE email = $1', [email]);
    expect(row.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect((await c.get('/api/auth/me')).body.user.email).toBe(email);
  });

  test('register answers 409 for a taken email (any case) and 400 for bad fields', async () => {
    const email = uniqueEmail('dup');
    expect((await client().post('/api/auth/register', { email, password, name: 'A' })).status).toBe(
      201,
    );
    const again = await client().post('/api/auth/register', {
      email: email.toUpperCase(),
      password,
      name: 'B',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
    for (const body of [
      { email: 'not-an-email', password, name: 'A' },
      { email: uniqueEmail(), password: 'short', name: 'A' },
      { email: uniqueEmail(), password, name: '' },
      { email: uniqueEmail(), password, name: 'A', role: 'admin' },
      {},
    ]) {
      const r = await client().post('/api/auth/register', body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    }
  });

  test('login gives the same 401 for an unknown email and a wrong password', async () => {
    const email = uniqueEmail('enum');
    await client().post('/api/auth/register', { email, password, name: 'A' });
    const unknown = await client().post('/api/auth/login', {
      email: uniqueEmail('nobody'),
      password,
    });
    const wrong = await client().post('/api/auth/login', { email, password: 'wrong password!!' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    const ok = await client().post('/api/auth/login', { email, password });
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe(email);
  });

  test('login is rate-limited per account with 429 and Retry-After', async () => {
    const email = uniqueEmail('limit');
    await client().post('/api/auth/register', { email, password, name: 'A' });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      // Different client IPs: the account limit, not the IP limit, must trip.
      last = await client().post(
        '/api/auth/login',
        { email, password: 'wrong password!!' },
        {
          headers: { 'x-forwarded-for': `10.9.0.${i + 1}` },
        },
      );
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.body.error.code).toBe('rate_limited');
    // Even the right password is refused while limited.
    expect((await client().post('/api/auth/login', { email, password })).status).toBe(429);
  });

  test('login is rate-limited per IP across accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const r = await client().post(
        '/api/auth/login',
        { email: uniqueEmail('ip'), password },
        {
          headers: { 'x-forwarded-for': '10.77.0.1' },
        },
      );
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses[8]).toBe(429);
  });

  test('logout ends the session', async () => {
    const c = client();
    await c.post('/api/auth/register', { email: uniqueEmail('out'), password, name: 'A' });
    const sid = c.cookie;
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    c.cookie = sid; // replaying the old cookie must not work either
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  test('me answers 401 without a session or with a forged cookie', async () => {
    const c = client();
    expect((await c.get('/api/auth/me')).status).toBe(401);
    c.cookie = 'sid=forged-token-forged-token-forged-token-123';
    const r = await c.get('/api/auth/me');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthenticated');
  });
});

describe('request hygiene', () => {
  test('state-changing requests from another origin, or with no origin, are refused', async () => {
    const body = { email: uniqueEmail(), password, name: 'A' };
    for (const origin of ['https://evil.example', null]) {
      const r = await client().post('/api/auth/register', body, { origin });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('cross_origin_rejected');
    }
    const sameSite = await client().post('/api/auth/register', body, {
      origin: null,
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(sameSite.status).toBe(201);
  });

  test('malformed JSON is 400, an oversized body 413, a wrong content type 415', async () => {
    const c = client();
    const bad = await c.request('POST', '/api/auth/login', {
      raw: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('malformed_json');
    const big = await c.request('POST', '/api/auth/login', {
      raw: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(150_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    const form = await c.request('POST', '/api/auth/login', {
      raw: 'email=a@b.c&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
  });

  test('errors are JSON {error:{code,message}} with no stack traces', async () => {
    const r = await client().get('/api/no-such-thing');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect(r.text).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(r.headers.get('x-request-id')).toBeTruthy();
  });

  test('markup in a stored name comes back as inert JSON text', async () => {
    const c = client();
    const name = '<script>alert(1)</script>';
    const r = await c.post('/api/auth/register', { email: uniqueEmail('xss'), password, name });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.body.user.name).toBe(name);
  });
});
