import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOpsCredentials } from '@dhakacart/lab-client';
import {
  ensureOpsFiles,
  fragmentAccepts,
  OPS_SECRET_PREFIX,
  opsSecretName,
  opsUsersFragment,
  sha512Crypt,
} from './ops-credentials';

// The operators' credentials as `npm run lab` makes them, in a directory of the test's own (never
// the lab's .lab/): a random password in a 0600 file, its SHA-512 crypt hash in the edge's
// userlist fragment, and a secret name that changes only when the fragment does. The real HAProxy
// checks the fragment in edge-config.test.ts and enforces it in edge-ops.test.ts.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ops-creds-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const files = () => ({
  credentials: join(dir, 'lab', 'ops.json'),
  fragment: join(dir, 'lab', 'ops-users.cfg'),
});
const mode = (f: string) => statSync(f).mode & 0o777;

test('the SHA-512 crypt hash is the one crypt(3) gives (the specification test vector)', async () => {
  // glibc's own test vector for $6$ (crypt-sha512 specification, "Hello world!").
  expect(await sha512Crypt('Hello world!', 'saltstring')).toBe(
    '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
  );
  await expect(sha512Crypt('x', 'bad salt!')).rejects.toThrow(/a crypt salt is/);
});

test('first run: a random password for "ops" in a 0600 file, and a fragment whose hash accepts it', async () => {
  const f = files();
  const { fragment, created } = await ensureOpsFiles(f);
  expect(created).toBe(true);
  const creds = readOpsCredentials(f.credentials);
  expect(creds.username).toBe('ops');
  expect(creds.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(Object.keys(JSON.parse(readFileSync(f.credentials, 'utf8')) as object).sort()).toEqual([
    'password',
    'username',
  ]);
  expect(mode(f.credentials)).toBe(0o600);
  expect(mode(f.fragment)).toBe(0o600);
  expect(mode(join(dir, 'lab'))).toBe(0o700);
  expect(readFileSync(f.fragment, 'utf8')).toBe(fragment);
  expect(fragment).toMatch(
    /^userlist ops\n {4}user ops password \$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}\n$/m,
  );
  expect(fragment).not.toContain(creds.password);
  expect(await fragmentAccepts(fragment, creds)).toBe(true);
  expect(await fragmentAccepts(fragment, { ...creds, password: `${creds.password}x` })).toBe(false);
  expect(await fragmentAccepts(fragment, { ...creds, username: 'other' })).toBe(false);
});

test('the next run keeps both files, so the secret name, and so the edge, stay as they are', async () => {
  const f = files();
  const first = await ensureOpsFiles(f);
  const password = readOpsCredentials(f.credentials).password;
  const again = await ensureOpsFiles(f);
  expect(again).toEqual({ fragment: first.fragment, created: false });
  expect(readOpsCredentials(f.credentials).password).toBe(password);
  expect(opsSecretName(again.fragment)).toBe(opsSecretName(first.fragment));
});

test('a fragment that no longer matches the credentials file is made anew; the password stays', async () => {
  const f = files();
  const first = await ensureOpsFiles(f);
  const creds = readOpsCredentials(f.credentials);
  // Someone changed the password by hand: the next run hashes the new one.
  writeFileSync(f.credentials, JSON.stringify({ ...creds, password: 'a-new-password-of-theirs' }));
  const next = await ensureOpsFiles(f);
  expect(next.created).toBe(false);
  expect(next.fragment).not.toBe(first.fragment);
  expect(
    await fragmentAccepts(next.fragment, { ...creds, password: 'a-new-password-of-theirs' }),
  ).toBe(true);
  // A fragment edited into something else is replaced too.
  writeFileSync(f.fragment, `${next.fragment}    user intruder insecure-password x\n`);
  const fixed = await ensureOpsFiles(f);
  expect(fixed.fragment).not.toMatch(/intruder/);
});

test('a malformed credentials file stops the run with what to do, and is left alone', async () => {
  const f = files();
  await ensureOpsFiles(f);
  writeFileSync(f.credentials, '{"username":"ops; drop"}');
  await expect(ensureOpsFiles(f)).rejects.toThrow(
    /"username" must match .*; delete .*ops\.json and run `npm run lab` again/,
  );
  expect(readFileSync(f.credentials, 'utf8')).toBe('{"username":"ops; drop"}');
});

test('two fragments for the same password differ (a random salt), and their secret names too', async () => {
  const creds = { username: 'ops', password: 'the-same-password-twice' };
  const [a, b] = [await opsUsersFragment(creds), await opsUsersFragment(creds)];
  expect(a).not.toBe(b);
  expect(opsSecretName(a)).toMatch(new RegExp(`^${OPS_SECRET_PREFIX}[0-9a-f]{12}$`));
  expect(opsSecretName(a)).not.toBe(opsSecretName(b));
  expect(await fragmentAccepts(a, creds)).toBe(true);
  expect(await fragmentAccepts(b, creds)).toBe(true);
});
