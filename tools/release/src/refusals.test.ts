import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@dhakacart/lab-client';
import { LOCK_FILE, takeLock, uncommittedChanges } from './release';

const exec = promisify(execFile);

test('uncommitted source changes are found; generated benchmark results are not source', async () => {
  const stray = join(REPO_ROOT, `release-test-${process.pid}.txt`);
  const bench = join(REPO_ROOT, 'bench', 'results', `release-test-${process.pid}.json`);
  writeFileSync(stray, 'x');
  writeFileSync(bench, '{}');
  try {
    const dirty = await uncommittedChanges();
    expect(dirty).toContain(`release-test-${process.pid}.txt`);
    expect(dirty.some((p) => p.startsWith('bench/results/'))).toBe(false);
  } finally {
    rmSync(stray, { force: true });
    rmSync(bench, { force: true });
  }
});

test('a second release is refused while one holds the lock; a dead holder does not block', () => {
  rmSync(LOCK_FILE, { force: true });
  const unlock = takeLock();
  // Another process's view: the lock names a live process (this one, from a child's view).
  writeFileSync(LOCK_FILE, `${process.ppid}\n`);
  expect(() => takeLock()).toThrow(/another release is running/);
  writeFileSync(LOCK_FILE, '999999\n');
  const again = takeLock();
  again();
  unlock();
});

test('the command refuses a dirty tree before it deploys anything, and checks its flags', async () => {
  const cli = join(__dirname, 'cli.ts');
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const run = (args: string[]) =>
    exec(tsx, [cli, ...args], { cwd: REPO_ROOT }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  const bad = await run(['--inject-fault', 'checkout-5xx:0']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/a percent from 1 to 100/);
  expect((await run(['--window', '5'])).stderr).toMatch(/--window must be/);
  // Number(text) read these as 60 and 120: a flag's number is decimal digits only.
  expect((await run(['--window', '0x3c'])).stderr).toMatch(/--window must be/);
  expect((await run(['--visitors', ' 120'])).stderr).toMatch(/--visitors must be/);
  const stray = join(REPO_ROOT, `release-dirty-${process.pid}.txt`);
  writeFileSync(stray, 'x');
  try {
    const r = await run(['--json']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ outcome: 'refused', rolledBack: false, commitToLiveSeconds: null });
    expect(out.reason).toMatch(/^uncommitted source changes \(/);
  } finally {
    rmSync(stray, { force: true });
  }
});

test('the release benchmark checks its flags before any release, with a usage text', async () => {
  const bench = join(__dirname, 'bench.ts');
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const run = (args: string[]) =>
    exec(tsx, [bench, ...args], { cwd: REPO_ROOT }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  for (const [args, says] of [
    [['--percent', '0'], /--percent must be a whole number from 1 to 100/],
    [['--window', '29'], /--window must be a whole number from 30 to 900/],
    [['--visitors', 'many'], /--visitors must be a whole number from 10 to 5000/],
    [['--window', '3e1'], /--window must be a whole number from 30 to 900/],
    [['--bogus'], /Unknown option '--bogus'/],
  ] as const) {
    const r = await run([...args]);
    expect({ code: r.code, says: says.test(r.stderr), usage: /Usage:/.test(r.stderr) }).toEqual({
      code: 2,
      says: true,
      usage: true,
    });
  }
  const help = await run(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/bench\/results\/release\.json/);
}, 60_000);
