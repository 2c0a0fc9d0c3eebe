import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { commonPasswords, isCommonPassword } from '../domain/passwords';
import { Client } from '../test-support/client';
import { newProduct } from '../test-support/fixtures';
import { API_ROOT, ORIGIN, startStack, uniqueEmail, type TestStack } from '../test-support/stack';

// The session and account rules of docs/security.md (ASVS V2/V3), each on the real api with
// PostgreSQL and Redis. The client-address rule (X-Forwarded-For) is in client-address.test.ts.
const run = promisify(execFile);
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const client = () => new Client(stack.api.url, ORIGIN);
const password = 'correct horse battery';
const token = (c: Client) => c.cookie!.replace(/^sid=/, '');
/** Whether the server still holds the session behind a cookie (only its HMAC is stored). */
async function stored(cookieToken: string): Promise<boolean> {
  const idHash = createHmac('sha256', stack.config.session.key).update(cookieToken).digest();
  const { rowCount } = await stack.db.query('SELECT 1 FROM sessions WHERE id_hash = $1', [idHash]);
  return rowCount === 1;
}
async function register(c: Client, email = uniqueEmail('rule')) {
  const r = await c.post('/api/auth/register', { email, password, name: 'Rule Tester' });
  expect(r.status).toBe(201);
  return email;
}

describe('session ids', () => {
  test('login issues a new session id and deletes the guest session it replaces', async () => {
    const email = await register(client());
    const c = client();
    const productId = await newProduct(stack.db, 5);
    expect((await c.put(`/api/cart/items/${productId}`, { quantity: 2 })).status).toBe(200);
    const guest = token(c);
    expect(await stored(guest)).toBe(true);

    expect((await c.post('/api/auth/login', { email, password })).status).toBe(200);
    const loggedIn = token(c);
    expect(loggedIn).not.toBe(guest);
    expect(await stored(guest)).toBe(false);
    expect((await c.get('/api/cart')).body.items).toEqual([
      expect.objectContaining({ productId, quantity: 2 }), // the cart came along
    ]);
    const replay = client();
    replay.cookie = `sid=${guest}`;
    expect((await replay.get('/api/auth/me')).status).toBe(401);
  });

  test('registering also replaces the session id the browser had', async () => {
    const c = client();
    const productId = await newProduct(stack.db, 5);
    await c.put(`/api/cart/items/${productId}`, { quantity: 1 });
    const guest = token(c);
    await register(c);
    expect(token(c)).not.toBe(guest);
    expect(await stored(guest)).toBe(false);
  });

  test('a change of role ends every session of that user; the next login gets a new id', async () => {
    const c = client();
    const email = await register(c);
    const second = client();
    expect((await second.post('/api/auth/login', { email, password })).status).toBe(200);
    const before = [token(c), token(second)];
    expect((await c.get('/api/admin/orders')).status).toBe(403);

    // The real command operators use to promote someone (see docs/runbooks and create-admin.ts).
    const file = join(stack.secretDir, 'staff-password');
    writeFileSync(file, 'a new staff passphrase 42');
    await run(
      'npx',
      [
        '--no-install',
        'tsx',
        'src/cli/create-admin.ts',
        '--email',
        email,
        '--password-file',
        file,
        '--role',
        'staff',
      ],
      { cwd: API_ROOT, env: { ...process.env, ...stack.env } },
    );
    for (const t of before) expect(await stored(t)).toBe(false);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    expect((await c.get('/api/admin/orders')).status).toBe(401);

    const login = await c.post('/api/auth/login', { email, password: 'a new staff passphrase 42' });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('staff');
    expect(before).not.toContain(token(c));
    expect((await c.get('/api/admin/orders')).status).toBe(200);
  });

  test('logout deletes the session on the server, so a copied cookie is worthless', async () => {
    const c = client();
    await register(c);
    const t = token(c);
    expect(await stored(t)).toBe(true);
    const out = await c.post('/api/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^sid=; .*Max-Age=0/);
    expect(await stored(t)).toBe(false);
    const thief = client();
    thief.cookie = `sid=${t}`;
    expect((await thief.get('/api/auth/me')).status).toBe(401);
  });
});

describe('password policy', () => {
  test('the bundled list holds the 10,000 most common passwords, read once', () => {
    expect(commonPasswords().size).toBeGreaterThan(9900);
    expect(commonPasswords()).toBe(commonPasswords());
    for (const p of ['qwertyuiop', 'Basketball', '1234567890', 'password2024!', 'Superman123456']) {
      expect(isCommonPassword(p)).toBe(true);
    }
    for (const p of ['boats at sadarghat at dawn', 'tea garden in sylhet 7', password]) {
      expect(isCommonPassword(p)).toBe(false);
    }
  });

  test('registration refuses a common breached password with 422, and nothing is stored', async () => {
    for (const common of ['qwertyuiop', 'Basketball2024!', 'password1234']) {
      const email = uniqueEmail('weak');
      const r = await client().post('/api/auth/register', { email, password: common, name: 'W' });
      expect(r.status).toBe(422);
      expect(r.body.error).toMatchObject({
        code: 'password_too_common',
        details: { field: 'body.password' },
      });
      expect(r.text).not.toContain(common);
      const { rowCount } = await stack.db.query('SELECT 1 FROM users WHERE email = $1', [email]);
      expect(rowCount).toBe(0);
    }
  });

  test('create-admin refuses a common password too (exit 2, nothing written)', async () => {
    const file = join(stack.secretDir, 'weak-admin-password');
    writeFileSync(file, 'basketball2025');
    const email = uniqueEmail('weakadmin');
    const r = await run(
      'npx',
      ['--no-install', 'tsx', 'src/cli/create-admin.ts', '--email', email, '--password-file', file],
      { cwd: API_ROOT, env: { ...process.env, ...stack.env } },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/most common/);
    expect((await stack.db.query('SELECT 1 FROM users WHERE email = $1', [email])).rowCount).toBe(
      0,
    );
  });
});
