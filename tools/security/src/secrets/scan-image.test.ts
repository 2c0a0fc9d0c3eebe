import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../tools';
import { scanImage, type ImageScan } from './scan-image';

// A deliberately leaky throwaway image, built here from scratch (no registry) with secrets made
// at run time, so none is in the repository: one in a LABEL (docker history and labels), one in
// an ENV (history and environment), a private key in a file under a directory named lib (not a
// skipped system directory). A clean twin proves the scan does not cry wolf. Both are removed.
const run = promisify(execFile);
const tag = randomBytes(4).toString('hex');
const LEAKY = `dhakacart-test/leaky:${tag}`;
const CLEAN = `dhakacart-test/clean:${tag}`;
const ctx = mkdtempSync(join(tmpdir(), 'leaky-image-'));

const base32 = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
const alnum = (n: number) =>
  Array.from(
    randomBytes(n),
    (b) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[b % 62],
  ).join('');
const awsKey = `AKIA${base32(16)}`;
const githubToken = `ghp_${alnum(36)}`;
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();
const secrets = [awsKey, githubToken, privateKey.split('\n')[1]!];

let leaky: ImageScan;

beforeAll(async () => {
  writeFileSync(join(ctx, 'key.pem'), privateKey);
  writeFileSync(join(ctx, 'hello.txt'), 'nothing to see here\n');
  writeFileSync(
    join(ctx, 'Dockerfile.leaky'),
    [
      'FROM scratch',
      `LABEL org.example.deploy-key="${awsKey}"`,
      `ENV GITHUB_TOKEN=${githubToken}`,
      'COPY key.pem /srv/lib/app-key.pem',
      'COPY hello.txt /app/hello.txt',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(ctx, 'Dockerfile.clean'),
    ['FROM scratch', 'ENV GREETING=hello', 'COPY hello.txt /app/hello.txt', ''].join('\n'),
  );
  for (const [ref, file] of [
    [LEAKY, 'Dockerfile.leaky'],
    [CLEAN, 'Dockerfile.clean'],
  ] as const) {
    await run('docker', ['build', '-q', '-t', ref, '-f', join(ctx, file), ctx]);
  }
  leaky = await scanImage(LEAKY);
}, 180_000);

afterAll(() => {
  execFileSync('docker', ['rmi', '-f', LEAKY, CLEAN], { stdio: 'ignore' });
  rmSync(ctx, { recursive: true, force: true });
});

test('a secret in a label, an ENV and a file is found in history, environment, labels and files', () => {
  expect(leaky.ok).toBe(false);
  const by = (source: string) =>
    leaky.findings.filter((f) => f.source === source).map((f) => [f.rule, f.where]);
  expect(by('history')).toEqual(
    expect.arrayContaining([
      ['aws-access-token', 'docker history'],
      ['github-pat', 'docker history'],
    ]),
  );
  expect(by('env')).toEqual([['github-pat', 'docker config env']]);
  expect(by('labels')).toEqual([['aws-access-token', 'docker config labels']]);
  expect(by('files')).toEqual([['private-key', '/srv/lib/app-key.pem']]);
});

test('the result names rule and place only: no secret appears in it', () => {
  const text = JSON.stringify(leaky);
  for (const s of secrets) expect(text).not.toContain(s);
});

test('a clean image passes', async () => {
  const clean = await scanImage(CLEAN);
  expect(clean).toMatchObject({ ok: true, findings: [] });
});

test('the command fails on the leaky image and prints no secret', async () => {
  const r = await run(
    'npx',
    ['--no-install', 'tsx', 'tools/security/src/secrets/cli.ts', 'image', LEAKY],
    { cwd: REPO_ROOT },
  ).then(
    () => ({ code: 0, stdout: '', stderr: '' }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/private-key in \/srv\/lib\/app-key\.pem/);
  expect(r.stderr).toMatch(/FOUND/);
  for (const s of secrets) expect(r.stdout + r.stderr).not.toContain(s);
});
